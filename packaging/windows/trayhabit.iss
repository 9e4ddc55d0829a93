; TrayHabit's Windows installer, for Inno Setup 6.4 or newer: the Swedish messages it uses,
; compiler:Languages\Swedish.isl, are those of 6.4 and later.
;
; packaging/build.py compiles it after PyInstaller has built dist\TrayHabit:
;
;   iscc /DAppVersion=0.1.0 /DSourceDir=<repo>\dist\TrayHabit /DIconFile=<repo>\build\icons\trayhabit.ico
;        /DOutputDir=<repo>\dist packaging\windows\trayhabit.iss
;
; and gets <repo>\dist\TrayHabit-0.1.0-setup.exe. Only AppVersion is required; the three paths default
; to those places relative to this file. The version's one copy is trayhabit/__init__.py, so it is
; passed in rather than written here. /DSignTool=NAME, with /SNAME=..., signs Setup and its uninstaller.
;
; The installer installs for the current user by default, with no administrator rights and no UAC
; prompt (into %LOCALAPPDATA%\Programs\TrayHabit); an administrator may choose "all users" in the
; dialog at the start (Program Files). The user's habits live apart from the program, in
; %LOCALAPPDATA%\TrayHabit, and survive an uninstall unless the user asks otherwise.

#if VER < 0x06040000
  #error TrayHabit's installer needs Inno Setup 6.4 or newer (for its compiler:Languages\Swedish.isl).
#endif

#ifndef AppVersion
  #error AppVersion is not defined: compile with iscc /DAppVersion=X.Y.Z (the __version__ in trayhabit/__init__.py).
#endif
#ifndef SourceDir
  #define SourceDir AddBackslash(SourcePath) + "..\..\dist\TrayHabit"
#endif
#ifndef IconFile
  #define IconFile AddBackslash(SourcePath) + "..\..\build\icons\trayhabit.ico"
#endif
#ifndef OutputDir
  #define OutputDir AddBackslash(SourcePath) + "..\..\dist"
#endif
; Windows shows a toast only for an app it knows by its AppUserModelID, and learns the id from the
; Start-menu shortcut. It must equal APP_USER_MODEL_ID in trayhabit/app/notifications/platforms.py,
; which the app claims for its process at start-up.
#ifndef AppUserModelID
  #define AppUserModelID "TrayHabit.TrayHabit"
#endif

#define AppName "TrayHabit"
#define AppExeName "TrayHabit.exe"
; Generated once; it names the uninstall entry, so it must never change (nor be reused elsewhere).
#define AppGuid "AD9FD193-83EC-4FEB-9DCA-48E981EBB592"
; The key Setup writes for the uninstall entry: the AppId with its braces, and "_is1".
#define UninstallKey "Software\Microsoft\Windows\CurrentVersion\Uninstall\{" + AppGuid + "}_is1"
#define RunKey "Software\Microsoft\Windows\CurrentVersion\Run"

; Fail here, with the reason, rather than with a bare "no files found" further down.
#if !FileExists(AddBackslash(SourceDir) + AppExeName)
  #error No TrayHabit.exe in SourceDir: build the bundle first (python packaging/build.py), or pass /DSourceDir=...
#endif
#if !FileExists(IconFile)
  #error No icon at IconFile: run python packaging/make_icons.py build\icons, or pass /DIconFile=...
#endif

[Setup]
; "{{" is a literal brace: the AppId is the GUID in braces.
AppId={{{#AppGuid}}
AppName={#AppName}
AppVersion={#AppVersion}
AppVerName={#AppName} {#AppVersion}
AppPublisher=The TrayHabit developers
AppPublisherURL=https://github.com/trayhabit/trayhabit
AppSupportURL=https://github.com/trayhabit/trayhabit/issues
AppCopyright=MIT License, the TrayHabit developers
VersionInfoProductName={#AppName}
VersionInfoProductTextVersion={#AppVersion}

; Per-user by default: no UAC prompt, and the Run value, the shortcut's AppUserModelID and the data
; folder all belong to the one user who installs. The dialog lets an administrator install for all
; users instead (so does /ALLUSERS on the command line); {autopf} and {autoprograms} then mean
; Program Files and the common Start menu.
PrivilegesRequired=lowest
PrivilegesRequiredOverridesAllowed=commandline dialog
DefaultDirName={autopf}\{#AppName}
; One shortcut straight in the Start menu's Programs: no folder to choose.
DisableProgramGroupPage=yes
; In an all-users install the HKCU Run value (and the data folder the uninstaller offers to delete)
; are the installing administrator's. That is deliberate: start at login is a per-user choice, the
; same value the app's own setting writes, so the compiler's warning about it is silenced.
UsedUserAreasWarning=no

; PyInstaller builds a 64-bit TrayHabit.exe (Python and Qt for x64), which also runs on Windows on
; Arm through x64 emulation. Qt 6 needs Windows 10 or later.
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible
MinVersion=10.0

OutputDir={#OutputDir}
OutputBaseFilename={#AppName}-{#AppVersion}-setup
SetupIconFile={#IconFile}
; PyInstaller puts the same icon into TrayHabit.exe (packaging/trayhabit.spec).
UninstallDisplayIcon={app}\{#AppExeName}
UninstallDisplayName={#AppName}
WizardStyle=modern
Compression=lzma2/max
SolidCompression=yes
ShowLanguageDialog=auto
SetupLogging=yes
; Optional Authenticode signing of Setup and the uninstaller: define a sign tool on the command line
; and name it, e.g. iscc "/Ssigntool=signtool.exe sign /fd SHA256 /tr http://timestamp.digicert.com
; /td SHA256 /a $f" /DSignTool=signtool ... (packaging/README.md, "Signing on Windows").
#ifdef SignTool
SignTool={#SignTool}
SignedUninstaller=yes
#endif

; An upgrade must replace files that a running TrayHabit holds open (TrayHabit.exe and the DLLs and
; .pyd files under _internal). Setup asks Windows' Restart Manager to close it. TrayHabit lives in the
; tray with no ordinary window, so the polite request may go unanswered: "force" then ends the process
; instead of leaving the user with "files in use". Nothing is lost: every write of the app's data is an
; atomic replace (trayhabit/core/atomic.py), and settings apply as they change. AppMutex is no option,
; since the app creates no named mutex.
CloseApplications=force
CloseApplicationsFilter=*.exe,*.dll,*.pyd
; TrayHabit does not register with the Restart Manager, so it could not be restarted that way; the
; "Launch TrayHabit" box on the last page starts it again instead.
RestartApplications=no

[Languages]
Name: "en"; MessagesFile: "compiler:Default.isl"
Name: "sv"; MessagesFile: "compiler:Languages\Swedish.isl"

[CustomMessages]
en.StartAtLogin=&Start TrayHabit when I sign in to Windows (recommended: reminders come only while it runs)
sv.StartAtLogin=&Starta TrayHabit när jag loggar in i Windows (rekommenderas: påminnelser kommer bara när TrayHabit körs)
en.DeleteDataQuestion=Do you also want to delete your TrayHabit data: your habits, their history and your settings?%n%n%1%n%nChoose No to keep them, for instance to install TrayHabit again later. Deleted data cannot be recovered.
sv.DeleteDataQuestion=Vill du även radera dina TrayHabit-data: dina vanor, deras historik och dina inställningar?%n%n%1%n%nVälj Nej för att behålla dem, till exempel om du vill installera TrayHabit igen senare. Raderade data går inte att återställa.
en.DeleteDataFailed=Some of your TrayHabit data could not be deleted. You can delete the folder yourself:%n%n%1
sv.DeleteDataFailed=En del av dina TrayHabit-data kunde inte raderas. Du kan radera mappen själv:%n%n%1

[Tasks]
Name: "desktopicon"; Description: "{cm:CreateDesktopIcon}"; GroupDescription: "{cm:AdditionalIcons}"; Flags: unchecked
; A habit app that is not running reminds nobody, so this is on unless the user says otherwise. Shown
; only on a first install: on an upgrade the user's choice, made since in the app's settings (which
; write the same value), stands and is neither re-added nor removed.
Name: "startatlogin"; Description: "{cm:StartAtLogin}"; GroupDescription: "{cm:AutoStartProgramGroupDescription}"; Check: not IsUpgrade

[InstallDelete]
; The previous version's bundle goes first: a library it had and this one does not would otherwise
; stay behind in _internal, where Python could still find and load it.
Type: filesandordirs; Name: "{app}\_internal"

[Files]
Source: "{#SourceDir}\*"; DestDir: "{app}"; Flags: ignoreversion recursesubdirs createallsubdirs

[Icons]
; The Start-menu shortcut carries the AppUserModelID: without it Windows drops TrayHabit's toasts.
Name: "{autoprograms}\{#AppName}"; Filename: "{app}\{#AppExeName}"; WorkingDir: "{app}"; AppUserModelID: "{#AppUserModelID}"
Name: "{autodesktop}\{#AppName}"; Filename: "{app}\{#AppExeName}"; WorkingDir: "{app}"; AppUserModelID: "{#AppUserModelID}"; Tasks: desktopicon

[Registry]
; Start at login: the value the app's own "Start at login" setting reads and writes (RUN_VALUE in
; trayhabit/app/autostart.py), so the installer and the app agree on one switch.
Root: HKCU; Subkey: "{#RunKey}"; ValueType: string; ValueName: "{#AppName}"; ValueData: """{app}\{#AppExeName}"""; Flags: uninsdeletevalue; Tasks: startatlogin

[Run]
; postinstall entries run as the user who started Setup (not as an elevating administrator).
Filename: "{app}\{#AppExeName}"; Description: "{cm:LaunchProgram,{#AppName}}"; Flags: nowait postinstall skipifsilent

[Code]
var
  DeleteUserData: Boolean;

{ Whether this version replaces an installed one: its uninstall entry exists, for this user or all. }
function IsUpgrade(): Boolean;
begin
  Result := RegKeyExists(HKCU, '{#UninstallKey}') or RegKeyExists(HKLM, '{#UninstallKey}');
end;

{ Where the app keeps the user's habits, settings, logs and backups: platformdirs'
  user_data_dir("TrayHabit", appauthor=False). }
function UserDataDir(): String;
begin
  Result := ExpandConstant('{localappdata}\{#AppName}');
end;

{ The uninstaller, unlike Setup, does not use the Restart Manager, so a running TrayHabit would keep
  its files and leave the uninstall half done. This ends the TrayHabit started from this installation
  and no other: a TrayHabit run from Python (pip's trayhabit.exe) has the same image name but another
  path. Killing is safe for the data: its every write is an atomic replace. }
procedure StopInstalledApp();
var
  ExePath: String;
  Script: String;
  ResultCode: Integer;
begin
  ExePath := ExpandConstant('{app}\{#AppExeName}');
  { Single quotes are doubled inside a PowerShell single-quoted string. }
  StringChangeEx(ExePath, '''', '''''', True);
  Script := 'Get-CimInstance Win32_Process | Where-Object { $_.Name -eq ''{#AppExeName}'' -and ' +
            '$_.ExecutablePath -eq ''' + ExePath + ''' } | ' +
            'ForEach-Object { Stop-Process -Id $_.ProcessId -Force -ErrorAction SilentlyContinue; ' +
            'Wait-Process -Id $_.ProcessId -Timeout 10 -ErrorAction SilentlyContinue }';
  if not Exec(ExpandConstant('{sys}\WindowsPowerShell\v1.0\powershell.exe'),
              '-NoProfile -NonInteractive -ExecutionPolicy Bypass -Command "' + Script + '"',
              '', SW_HIDE, ewWaitUntilTerminated, ResultCode) then
    Log('Could not run PowerShell to stop a running TrayHabit; files in use stay until a restart.');
end;

{ The app may have written the Run value itself (its "Start at login" setting); remove it when it
  starts the copy being uninstalled, so no login tries to start a program that is gone. }
procedure RemoveRunValue();
var
  Command: String;
begin
  if RegQueryStringValue(HKCU, '{#RunKey}', '{#AppName}', Command) then
  begin
    StringChangeEx(Command, '"', '', True);
    if CompareText(Trim(Command), ExpandConstant('{app}\{#AppExeName}')) = 0 then
      RegDeleteValue(HKCU, '{#RunKey}', '{#AppName}');
  end;
end;

procedure CurUninstallStepChanged(CurUninstallStep: TUninstallStep);
var
  DataDir: String;
begin
  DataDir := UserDataDir();
  case CurUninstallStep of
    usUninstall:
      begin
        { Keep the data unless the user says otherwise. A silent uninstall (an upgrade script, a
          management tool) never deletes it, and No is the default button, so Enter keeps it too. }
        DeleteUserData := False;
        if (not UninstallSilent()) and DirExists(DataDir) then
          DeleteUserData := SuppressibleMsgBox(FmtMessage(CustomMessage('DeleteDataQuestion'), [DataDir]),
            mbConfirmation, MB_YESNO or MB_DEFBUTTON2, IDNO) = IDYES;
        StopInstalledApp();
      end;
    usPostUninstall:
      begin
        RemoveRunValue();
        { The toast registration the app writes at start-up (HKCU\Software\Classes\AppUserModelId\...). }
        RegDeleteKeyIncludingSubkeys(HKCU, 'Software\Classes\AppUserModelId\{#AppUserModelID}');
        { Only now, once the program is gone, so a failed uninstall never costs the user's data. }
        if DeleteUserData and DirExists(DataDir) then
          if not DelTree(DataDir, True, True, True) then
            SuppressibleMsgBox(FmtMessage(CustomMessage('DeleteDataFailed'), [DataDir]), mbError, MB_OK, IDOK);
      end;
  end;
end;
