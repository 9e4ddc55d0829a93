<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="sv_SE">
<context>
    <name>BackfillDialog</name>
    <message>
        <source>Earlier: {name}</source>
        <translation>Tidigare: {name}</translation>
    </message>
    <message>
        <source>Did “{name}” on a day you did not tick it off? Pick the day. Its window has closed, so it is recorded as done late.</source>
        <translation>Gjorde du ”{name}” en dag utan att bocka av? Välj dagen. Tiden för den har gått ut, så den registreras som gjord i efterhand.</translation>
    </message>
    <message>
        <source>Missed occurrences</source>
        <translation>Missade tillfällen</translation>
    </message>
    <message>
        <source>&amp;Missed recently:</source>
        <translation>&amp;Missade nyligen:</translation>
    </message>
    <message>
        <source>Mark &amp;done (late)</source>
        <translation>Markera som &amp;gjord (i efterhand)</translation>
    </message>
    <message>
        <source>Nothing missed lately.</source>
        <translation>Inget missat på sistone.</translation>
    </message>
    <message>
        <source>Every recent occurrence of “{name}” is checked off, skipped or still open.</source>
        <translation>Alla tillfällen på sistone för ”{name}” är avbockade, överhoppade eller fortfarande öppna.</translation>
    </message>
    <message>
        <source>“{name}” will be recorded as done {when}, and counted as late: worth {late} in the score, where done before the reminder is worth {preemptive}.</source>
        <translation>”{name}” registreras som gjord {when} och räknas som i efterhand: värd {late} i vanestyrkan, medan gjord före påminnelsen är värd {preemptive}.</translation>
    </message>
</context>
<context>
    <name>CalDAVSettings</name>
    <message>
        <source>Phone and calendar (CalDAV)</source>
        <translation>Telefon och kalender (CalDAV)</translation>
    </message>
    <message>
        <source>Your habits appear as recurring tasks on your phone or in your calendar app, and a task ticked off there is checked off here. Use an app password where the provider offers one.</source>
        <translation>Dina vanor blir återkommande uppgifter i telefonen eller i kalenderappen, och en uppgift du bockar av där bockas av här också. Använd ett applösenord om leverantören har det.</translation>
    </message>
    <message>
        <source>Ser&amp;ver address:</source>
        <translation>Ser&amp;veradress:</translation>
    </message>
    <message>
        <source>User na&amp;me:</source>
        <translation>Användarna&amp;mn:</translation>
    </message>
    <message>
        <source>&amp;Password:</source>
        <translation>&amp;Lösenord:</translation>
    </message>
    <message>
        <source>Tas&amp;k list:</source>
        <translation>Uppgiftsl&amp;ista:</translation>
    </message>
    <message>
        <source>Server address</source>
        <translation>Serveradress</translation>
    </message>
    <message>
        <source>User name</source>
        <translation>Användarnamn</translation>
    </message>
    <message>
        <source>Password</source>
        <translation>Lösenord</translation>
    </message>
    <message>
        <source>Task list</source>
        <translation>Uppgiftslista</translation>
    </message>
    <message>
        <source>Test the connection to choose one of the server&apos;s task lists.</source>
        <translation>Testa anslutningen för att välja en av serverns uppgiftslistor.</translation>
    </message>
    <message>
        <source>&amp;Test connection</source>
        <translation>&amp;Testa anslutningen</translation>
    </message>
    <message>
        <source>Co&amp;nnect</source>
        <translation>A&amp;nslut</translation>
    </message>
    <message>
        <source>&amp;Disconnect</source>
        <translation>&amp;Koppla från</translation>
    </message>
    <message>
        <source>Working</source>
        <translation>Arbetar</translation>
    </message>
    <message>
        <source>Kept in this computer&apos;s credential store</source>
        <translation>Sparat i datorns lösenordsförråd</translation>
    </message>
    <message>
        <source>Password or app password</source>
        <translation>Lösenord eller applösenord</translation>
    </message>
    <message>
        <source>A new list “{name}”</source>
        <translation>En ny lista ”{name}”</translation>
    </message>
    <message>
        <source>Not connected.</source>
        <translation>Inte ansluten.</translation>
    </message>
    <message>
        <source>Connected to {host} as {user}, list “{list}”.</source>
        <translation>Ansluten till {host} som {user}, listan ”{list}”.</translation>
    </message>
    <message>
        <source>Syncing…</source>
        <translation>Synkroniserar…</translation>
    </message>
    <message>
        <source>Last sync: {when}.</source>
        <translation>Senaste synkronisering: {when}.</translation>
    </message>
    <message>
        <source>Not synced yet.</source>
        <translation>Inte synkroniserat än.</translation>
    </message>
    <message>
        <source>Last error ({when}): {error}</source>
        <translation>Senaste fel ({when}): {error}</translation>
    </message>
    <message>
        <source>The connection works. Choose the list for your habits.</source>
        <translation>Anslutningen fungerar. Välj listan för dina vanor.</translation>
    </message>
    <message>
        <source>The connection works. A new list “{name}” will be made.</source>
        <translation>Anslutningen fungerar. En ny lista ”{name}” skapas.</translation>
    </message>
    <message>
        <source>Testing the connection…</source>
        <translation>Testar anslutningen…</translation>
    </message>
    <message>
        <source>Connected. Your habits are on their way to the server.</source>
        <translation>Ansluten. Dina vanor är på väg till servern.</translation>
    </message>
    <message>
        <source>Connecting…</source>
        <translation>Ansluter…</translation>
    </message>
    <message>
        <source>Disconnected. The tasks stay on the server.</source>
        <translation>Frånkopplad. Uppgifterna ligger kvar på servern.</translation>
    </message>
    <message>
        <source>Disconnecting…</source>
        <translation>Kopplar från…</translation>
    </message>
</context>
<context>
    <name>CalendarImportDialog</name>
    <message>
        <source>Import from calendar</source>
        <translation>Importera från kalender</translation>
    </message>
    <message>
        <source>{file}

Habits to create: {created}
Items skipped: {skipped}

Each habit reminds at the time of the item&apos;s first alarm, on the item&apos;s days.</source>
        <translation>{file}

Vanor som skapas: {created}
Poster som hoppas över: {skipped}

Varje vana påminner vid tiden för postens första larm, på postens dagar.</translation>
    </message>
    <message>
        <source>Item</source>
        <translation>Post</translation>
    </message>
    <message>
        <source>What happens</source>
        <translation>Vad som händer</translation>
    </message>
    <message>
        <source>Calendar items</source>
        <translation>Kalenderposter</translation>
    </message>
    <message>
        <source>&amp;Create habits</source>
        <translation>&amp;Skapa vanor</translation>
    </message>
    <message>
        <source>Will become habits</source>
        <translation>Blir vanor</translation>
    </message>
    <message>
        <source>{schedule}, from {start}</source>
        <translation>{schedule}, från {start}</translation>
    </message>
    <message>
        <source>Why</source>
        <translation>Varför</translation>
    </message>
    <message>
        <source>Note</source>
        <translation>Obs</translation>
    </message>
    <message>
        <source>Skipped</source>
        <translation>Hoppas över</translation>
    </message>
</context>
<context>
    <name>CalendarImportSteps</name>
    <message>
        <source>Import from calendar</source>
        <translation>Importera från kalender</translation>
    </message>
    <message>
        <source>Calendar files (*.ics)</source>
        <translation>Kalenderfiler (*.ics)</translation>
    </message>
    <message>
        <source>All files (*)</source>
        <translation>Alla filer (*)</translation>
    </message>
    <message>
        <source>Created {n} habits from {file}.</source>
        <translation>Skapade {n} vanor från {file}.</translation>
    </message>
    <message>
        <source>Created “{name}” from {file}.</source>
        <translation>Skapade ”{name}” från {file}.</translation>
    </message>
</context>
<context>
    <name>CheckOff</name>
    <message>
        <source>today</source>
        <translation>i dag</translation>
    </message>
    <message>
        <source>tomorrow</source>
        <translation>i morgon</translation>
    </message>
    <message>
        <source>yesterday</source>
        <translation>i går</translation>
    </message>
    <message>
        <source>{weekday} {day} {month} {year}</source>
        <translation>{weekday} {day} {month} {year}</translation>
    </message>
    <message>
        <source>{weekday} {day} {month}</source>
        <translation>{weekday} {day} {month}</translation>
    </message>
    <message>
        <source>{day} {time}</source>
        <translation>{day} {time}</translation>
    </message>
</context>
<context>
    <name>CheckOffDialogs</name>
    <message>
        <source>Note</source>
        <translation>Anteckning</translation>
    </message>
    <message>
        <source>A short note on the check-off of “{name}” for {when}:</source>
        <translation>En kort anteckning om avbockningen av ”{name}” för {when}:</translation>
    </message>
    <message>
        <source>Save</source>
        <translation>Spara</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Avbryt</translation>
    </message>
    <message>
        <source>e.g. called Acme</source>
        <translation>t.ex. ringde Acme</translation>
    </message>
    <message>
        <source>Noted on “{name}”.</source>
        <translation>Anteckningen sparad för ”{name}”.</translation>
    </message>
    <message>
        <source>Took the note off “{name}”.</source>
        <translation>Tog bort anteckningen för ”{name}”.</translation>
    </message>
    <message>
        <source>“{name}” recorded as done {when}, counted as late.</source>
        <translation>”{name}” registrerad som gjord {when}, räknas som i efterhand.</translation>
    </message>
    <message>
        <source>“{name}” recorded as done {when}.</source>
        <translation>”{name}” registrerad som gjord {when}.</translation>
    </message>
</context>
<context>
    <name>CheckOffList</name>
    <message>
        <source>Habits whose reminder is more than two weeks away; ticked off now, they count in full</source>
        <translation>Vanor vars påminnelse ligger mer än två veckor bort; bockar du av dem nu räknas de fullt ut</translation>
    </message>
    <message>
        <source>Open habits</source>
        <translation>Vanor att bocka av</translation>
    </message>
</context>
<context>
    <name>CheckOffMarks</name>
    <message>
        <source>Nothing to undo for the selected habit.</source>
        <translation>Det finns inget att ångra för den valda vanan.</translation>
    </message>
    <message>
        <source>“{name}” skipped, but it counts as missed: only 1 skip counts among recent times.</source>
        <translation>”{name}” hoppades över, men det räknas som missat: bara 1 överhoppning räknas bland de senaste gångerna.</translation>
    </message>
    <message>
        <source>“{name}” skipped, but it counts as missed: only {n} skips count among recent times.</source>
        <translation>”{name}” hoppades över, men det räknas som missat: bara {n} överhoppningar räknas bland de senaste gångerna.</translation>
    </message>
    <message>
        <source>“{name}” skipped; its score stays as it was.</source>
        <translation>”{name}” hoppades över; vanestyrkan är oförändrad.</translation>
    </message>
    <message>
        <source>A later check-off of “{name}” comes first: Undo takes that one back.</source>
        <translation>En senare avbockning av ”{name}” går först: Ångra tar tillbaka den.</translation>
    </message>
    <message>
        <source>“{name}” is already skipped for {when}; Undo takes the skip back.</source>
        <translation>”{name}” är redan överhoppad för {when}; Ångra tar tillbaka överhoppningen.</translation>
    </message>
    <message>
        <source>“{name}” is already checked off for {when}.</source>
        <translation>”{name}” är redan avbockad för {when}.</translation>
    </message>
    <message>
        <source>“{name}” checked off before the reminder: it counts in full.</source>
        <translation>”{name}” avbockad före påminnelsen: den räknas fullt ut.</translation>
    </message>
    <message>
        <source>“{name}” checked off after the reminder.</source>
        <translation>”{name}” avbockad efter påminnelsen.</translation>
    </message>
    <message>
        <source>“{name}” checked off.</source>
        <translation>”{name}” avbockad.</translation>
    </message>
    <message>
        <source>Took back “{name}” for {day}.</source>
        <translation>Ångrade ”{name}” för {day}.</translation>
    </message>
    <message>
        <source>Took back the latest mark of “{name}”.</source>
        <translation>Ångrade den senaste markeringen av ”{name}”.</translation>
    </message>
</context>
<context>
    <name>CheckOffRow</name>
    <message>
        <source>Usual time {when}</source>
        <translation>Brukar göras {when}</translation>
    </message>
    <message>
        <source>The reminder is retired; the habit is tracked silently.</source>
        <translation>Påminnelsen är släppt; vanan följs i tysthet.</translation>
    </message>
    <message>
        <source>Reminder {when}</source>
        <translation>Påminnelse {when}</translation>
    </message>
    <message>
        <source>Check “{name}” off (Space)</source>
        <translation>Bocka av ”{name}” (mellanslag)</translation>
    </message>
    <message>
        <source>Take it back (Space)</source>
        <translation>Ångra (mellanslag)</translation>
    </message>
    <message>
        <source>Before its usual time</source>
        <translation>Före den vanliga tiden</translation>
    </message>
    <message>
        <source>Before the reminder</source>
        <translation>Före påminnelsen</translation>
    </message>
    <message>
        <source>Past its usual time</source>
        <translation>Efter den vanliga tiden</translation>
    </message>
    <message>
        <source>Reminder waiting</source>
        <translation>Påminnelse väntar</translation>
    </message>
    <message>
        <source>Skipped — counts as missed</source>
        <translation>Överhoppad — räknas som missad</translation>
    </message>
    <message>
        <source>✓ Done before the reminder</source>
        <translation>✓ Gjord före påminnelsen</translation>
    </message>
    <message>
        <source>✓ Done after the reminder</source>
        <translation>✓ Gjord efter påminnelsen</translation>
    </message>
    <message>
        <source>✓ Done late</source>
        <translation>✓ Gjord i efterhand</translation>
    </message>
    <message>
        <source>Skipped</source>
        <translation>Överhoppad</translation>
    </message>
    <message>
        <source>Missed</source>
        <translation>Missad</translation>
    </message>
    <message>
        <source>Score {score} — done now, after its usual time: {next}</source>
        <translation>Vanestyrka {score} — gjord nu, efter den vanliga tiden: {next}</translation>
    </message>
    <message>
        <source>Score {score} — done now, after the reminder: {next}</source>
        <translation>Vanestyrka {score} — gjord nu, efter påminnelsen: {next}</translation>
    </message>
    <message>
        <source>Score {score} — one more before the reminder: {next}</source>
        <translation>Vanestyrka {score} — en gång till före påminnelsen: {next}</translation>
    </message>
    <message>
        <source>Score {score} — a skip leaves it as it was</source>
        <translation>Vanestyrka {score} — att hoppa över ändrar den inte</translation>
    </message>
    <message>
        <source>Score {score} — up {change} with this one</source>
        <translation>Vanestyrka {score} — upp {change} med den här</translation>
    </message>
    <message>
        <source>Score {score} — down {change} with this one</source>
        <translation>Vanestyrka {score} — ned {change} med den här</translation>
    </message>
    <message>
        <source>Score {score} — about the same with this one</source>
        <translation>Vanestyrka {score} — ungefär oförändrad med den här</translation>
    </message>
    <message>
        <source>{score} · ready to retire the reminder</source>
        <translation>{score} · dags att släppa påminnelsen</translation>
    </message>
</context>
<context>
    <name>CheckOffWindow</name>
    <message>
        <source>Check off</source>
        <translation>Bocka av</translation>
    </message>
    <message>
        <source>Open now</source>
        <translation>Kan bockas av nu</translation>
    </message>
    <message>
        <source>Tick off what you have done. Done before its reminder, a habit counts in full: that is how a reminder turns into a habit.</source>
        <translation>Bocka av det du har gjort. Hinner du före påminnelsen räknas det fullt ut: det är så en påminnelse blir en vana.</translation>
    </message>
    <message>
        <source>Last action</source>
        <translation>Senaste åtgärd</translation>
    </message>
    <message>
        <source>&amp;Add a habit…</source>
        <translation>&amp;Lägg till en vana…</translation>
    </message>
    <message>
        <source>&amp;Undo</source>
        <translation>&amp;Ångra</translation>
    </message>
    <message>
        <source>&amp;Skip</source>
        <translation>&amp;Hoppa över</translation>
    </message>
    <message>
        <source>&amp;Earlier…</source>
        <translation>&amp;Tidigare…</translation>
    </message>
    <message>
        <source>&amp;Note…</source>
        <translation>A&amp;nteckning…</translation>
    </message>
    <message>
        <source>&amp;Habits…</source>
        <translation>&amp;Vanor…</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>Stäng</translation>
    </message>
    <message>
        <source>The selected habit does not apply this time (holiday, sick)</source>
        <translation>Den valda vanan gäller inte den här gången (semester, sjuk)</translation>
    </message>
    <message>
        <source>Close the window (Esc)</source>
        <translation>Stäng fönstret (Esc)</translation>
    </message>
    <message>
        <source>Add, edit or retire habits</source>
        <translation>Lägg till, ändra eller avsluta vanor</translation>
    </message>
    <message>
        <source>This desktop has no system tray, so TrayHabit shows this window instead; reminders still come as notifications. To get the tray icon on GNOME, install the “AppIndicator and KStatusNotifierItem Support” extension and log in again. Meanwhile, starting TrayHabit again brings this window back.</source>
        <translation>Det här skrivbordet har inget systemfält, så TrayHabit visar det här fönstret i stället; påminnelserna kommer ändå som aviseringar. Vill du ha ikonen i systemfältet i GNOME installerar du tillägget ”AppIndicator and KStatusNotifierItem Support” och loggar in igen. Till dess tar du fram fönstret igen genom att starta TrayHabit en gång till.</translation>
    </message>
    <message numerus="yes">
        <source>Later (%n)</source>
        <translation>
            <numerusform>Senare (%n)</numerusform>
            <numerusform>Senare (%n)</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Later: %n habits whose reminder is weeks away</source>
        <translation>
            <numerusform>Senare: %n vana vars påminnelse ligger veckor bort</numerusform>
            <numerusform>Senare: %n vanor vars påminnelse ligger veckor bort</numerusform>
        </translation>
    </message>
    <message>
        <source>No habits yet — add one in Habits…</source>
        <translation>Inga vanor än — lägg till en under Vanor…</translation>
    </message>
    <message>
        <source>Give a habit a schedule and a reminder time. Whenever you do it before the reminder, tick it off here.</source>
        <translation>Ge en vana ett schema och en tid för påminnelsen. Varje gång du gör den före påminnelsen bockar du av den här.</translation>
    </message>
    <message>
        <source>Nothing to check off right now.</source>
        <translation>Inget att bocka av just nu.</translation>
    </message>
    <message>
        <source>A habit shows up here as soon as its window opens.</source>
        <translation>En vana dyker upp här så snart det går att bocka av den.</translation>
    </message>
    <message>
        <source>skip</source>
        <translation>överhoppningen</translation>
    </message>
    <message>
        <source>check-off</source>
        <translation>avbockningen</translation>
    </message>
    <message>
        <source>Take back the {what} of “{name}” for {when} (Ctrl+Z)</source>
        <translation>Ångra {what} av ”{name}” för {when} (Ctrl+Z)</translation>
    </message>
    <message>
        <source>Take back the selected habit&apos;s latest check-off or skip (Ctrl+Z)</source>
        <translation>Ångra den valda vanans senaste avbockning eller överhoppning (Ctrl+Z)</translation>
    </message>
    <message>
        <source>Put a short note on the check-off of “{name}” for {when} (Alt+N)</source>
        <translation>Skriv en kort anteckning om avbockningen av ”{name}” för {when} (Alt+N)</translation>
    </message>
    <message>
        <source>Put a short note on the selected habit&apos;s latest check-off (Alt+N)</source>
        <translation>Skriv en kort anteckning om den valda vanans senaste avbockning (Alt+N)</translation>
    </message>
    <message>
        <source>Mark a recently missed time of “{name}” as done (counted as late)</source>
        <translation>Markera en nyligen missad gång av ”{name}” som gjord (räknas som i efterhand)</translation>
    </message>
</context>
<context>
    <name>CrashDialog</name>
    <message>
        <source>Something went wrong</source>
        <translation>Något gick fel</translation>
    </message>
    <message>
        <source>Something went wrong inside TrayHabit. It keeps running, but what you were doing may not have been finished: please check it.</source>
        <translation>Något gick fel inne i TrayHabit. Appen fortsätter att köra, men det du höll på med kanske inte blev klart: kontrollera det.</translation>
    </message>
    <message>
        <source>The details are in the log, {folder}. Copying them into a bug report helps to fix it.</source>
        <translation>Detaljerna finns i loggen, {folder}. Om du klistrar in dem i en felrapport blir felet lättare att rätta.</translation>
    </message>
    <message>
        <source>&amp;Copy details</source>
        <translation>&amp;Kopiera detaljer</translation>
    </message>
    <message>
        <source>&amp;Open log folder</source>
        <translation>&amp;Öppna loggmappen</translation>
    </message>
    <message>
        <source>&amp;Close</source>
        <translation>&amp;Stäng</translation>
    </message>
    <message>
        <source>Unexpected errors since this message appeared: {count}.</source>
        <translation>Oväntade fel sedan meddelandet visades: {count}.</translation>
    </message>
    <message>
        <source>The details are on the clipboard.</source>
        <translation>Detaljerna finns nu i urklippet.</translation>
    </message>
    <message>
        <source>Could not open {folder}; open it in your file manager instead.</source>
        <translation>Kunde inte öppna {folder}; öppna den i filhanteraren i stället.</translation>
    </message>
</context>
<context>
    <name>DataSection</name>
    <message>
        <source>Data</source>
        <translation>Data</translation>
    </message>
    <message>
        <source>&amp;Open folder</source>
        <translation>&amp;Öppna mappen</translation>
    </message>
    <message>
        <source>Data &amp;folder:</source>
        <translation>Data&amp;mapp:</translation>
    </message>
    <message>
        <source>How many daily backups of each file to keep.</source>
        <translation>Hur många dagliga säkerhetskopior av varje fil som sparas.</translation>
    </message>
    <message>
        <source>Open &amp;backups folder</source>
        <translation>Öppna mappen med säker&amp;hetskopior</translation>
    </message>
    <message>
        <source>Backups to &amp;keep:</source>
        <translation>&amp;Säkerhetskopior att spara:</translation>
    </message>
    <message>
        <source>A daily copy of each file that changed.</source>
        <translation>En daglig kopia av varje fil som har ändrats.</translation>
    </message>
    <message>
        <source>&amp;Export…</source>
        <translation>&amp;Exportera…</translation>
    </message>
    <message>
        <source>Save every habit and check-off to a JSON file (complete) or CSV (for a spreadsheet), or the habits to a calendar file: events for Outlook, Google and Apple Calendar, or tasks for Thunderbird and task apps.</source>
        <translation>Spara alla vanor och avbockningar i en JSON-fil (komplett) eller CSV (för kalkylark), eller vanorna i en kalenderfil: händelser för Outlook, Google Kalender och Apples Kalender, eller uppgifter för Thunderbird och uppgiftsappar.</translation>
    </message>
    <message>
        <source>&amp;Import…</source>
        <translation>&amp;Importera…</translation>
    </message>
    <message>
        <source>Merge an export into your habits; nothing is duplicated.</source>
        <translation>Slå ihop en export med dina vanor; inget dubbleras.</translation>
    </message>
    <message>
        <source>Your habits:</source>
        <translation>Dina vanor:</translation>
    </message>
    <message>
        <source>There are no backups yet.</source>
        <translation>Det finns inga säkerhetskopior än.</translation>
    </message>
    <message>
        <source>JSON, complete (*.json)</source>
        <translation>JSON, komplett (*.json)</translation>
    </message>
    <message>
        <source>CSV, for spreadsheets (*.csv)</source>
        <translation>CSV, för kalkylark (*.csv)</translation>
    </message>
    <message>
        <source>Calendar events (Outlook, Google, Apple Calendar) (*.ics)</source>
        <translation>Kalenderhändelser (Outlook, Google Kalender, Apples Kalender) (*.ics)</translation>
    </message>
    <message>
        <source>Tasks (Thunderbird, Apple Reminders, Tasks.org) (*.ics)</source>
        <translation>Uppgifter (Thunderbird, Apples Påminnelser, Tasks.org) (*.ics)</translation>
    </message>
    <message>
        <source>Export habits</source>
        <translation>Exportera vanor</translation>
    </message>
    <message>
        <source>Exported to {file}.</source>
        <translation>Exporterade till {file}.</translation>
    </message>
    <message>
        <source>Import habits</source>
        <translation>Importera vanor</translation>
    </message>
    <message>
        <source>TrayHabit exports (*.json *.csv)</source>
        <translation>Exporter från TrayHabit (*.json *.csv)</translation>
    </message>
    <message>
        <source>All files (*)</source>
        <translation>Alla filer (*)</translation>
    </message>
    <message>
        <source>Import</source>
        <translation>Import</translation>
    </message>
    <message>
        <source>Imported {file}.

New habits: {added}
Habits updated: {updated}
Check-offs and other events added: {events}</source>
        <translation>Importerade {file}.

Nya vanor: {added}
Uppdaterade vanor: {updated}
Tillagda avbockningar och andra händelser: {events}</translation>
    </message>
    <message>
        <source>Could not open {folder}; open it in your file manager instead.</source>
        <translation>Kunde inte öppna {folder}; öppna den i filhanteraren i stället.</translation>
    </message>
</context>
<context>
    <name>GeneralSection</name>
    <message>
        <source>General</source>
        <translation>Allmänt</translation>
    </message>
    <message>
        <source>&amp;Start TrayHabit when you log in</source>
        <translation>&amp;Starta TrayHabit när du loggar in</translation>
    </message>
    <message>
        <source>TrayHabit starts in the tray when you log in to this computer.</source>
        <translation>TrayHabit startar i systemfältet när du loggar in på den här datorn.</translation>
    </message>
    <message>
        <source>Startup:</source>
        <translation>Start:</translation>
    </message>
    <message>
        <source>System default</source>
        <translation>Systemets språk</translation>
    </message>
    <message>
        <source>&amp;Language:</source>
        <translation>S&amp;pråk:</translation>
    </message>
    <message>
        <source>Automatic</source>
        <translation>Automatiskt</translation>
    </message>
    <message>
        <source>Native</source>
        <translation>Systemets egna</translation>
    </message>
    <message>
        <source>Qt tray</source>
        <translation>Ikonen i systemfältet</translation>
    </message>
    <message>
        <source>How reminders appear. Automatic uses the desktop&apos;s own notifications where they work and the tray icon&apos;s messages otherwise.</source>
        <translation>Hur påminnelser visas. Automatiskt använder skrivbordets egna aviseringar där de fungerar, annars ikonens meddelanden i systemfältet.</translation>
    </message>
    <message>
        <source>&amp;Notifications:</source>
        <translation>&amp;Aviseringar:</translation>
    </message>
</context>
<context>
    <name>HabitFormTab</name>
    <message>
        <source>e.g. Follow up sent quotes</source>
        <translation>t.ex. Följ upp skickade offerter</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>Namn</translation>
    </message>
    <message>
        <source>In your own words, e.g. Deals close on follow-up</source>
        <translation>Med dina egna ord, t.ex. Affärerna avgörs i uppföljningen</translation>
    </message>
    <message>
        <source>Why</source>
        <translation>Varför</translation>
    </message>
    <message>
        <source>When</source>
        <translation>När</translation>
    </message>
    <message>
        <source>Start date</source>
        <translation>Startdatum</translation>
    </message>
    <message>
        <source>&amp;Name:</source>
        <translation>Na&amp;mn:</translation>
    </message>
    <message>
        <source>W&amp;hy:</source>
        <translation>Var&amp;för:</translation>
    </message>
    <message>
        <source>Starts &amp;on:</source>
        <translation>Bör&amp;jar:</translation>
    </message>
    <message>
        <source>&amp;Delete…</source>
        <translation>Ta &amp;bort…</translation>
    </message>
    <message>
        <source>&amp;Archive</source>
        <translation>&amp;Arkivera</translation>
    </message>
    <message>
        <source>Stop tracking this habit but keep its history</source>
        <translation>Sluta följa vanan men behåll historiken</translation>
    </message>
    <message>
        <source>R&amp;estore</source>
        <translation>Åt&amp;erställ</translation>
    </message>
    <message>
        <source>Track this habit again, with its reminder on</source>
        <translation>Följ vanan igen, med påminnelsen på</translation>
    </message>
    <message>
        <source>Re&amp;vert</source>
        <translation>&amp;Återgå</translation>
    </message>
    <message>
        <source>Forget the changes not saved yet</source>
        <translation>Glöm ändringarna som inte sparats än</translation>
    </message>
    <message>
        <source>&amp;Save</source>
        <translation>&amp;Spara</translation>
    </message>
    <message>
        <source>Save (Ctrl+S)</source>
        <translation>Spara (Ctrl+S)</translation>
    </message>
    <message>
        <source>If today&apos;s reminder time has already passed, the habit starts tomorrow.</source>
        <translation>Har dagens påminnelsetid redan passerat börjar vanan i morgon.</translation>
    </message>
    <message>
        <source>New habit</source>
        <translation>Ny vana</translation>
    </message>
    <message>
        <source>Give the habit a name.</source>
        <translation>Ge vanan ett namn.</translation>
    </message>
    <message>
        <source>Saved “{name}”.</source>
        <translation>Sparade ”{name}”.</translation>
    </message>
    <message>
        <source>the new habit</source>
        <translation>den nya vanan</translation>
    </message>
    <message>
        <source>Unsaved changes</source>
        <translation>Osparade ändringar</translation>
    </message>
    <message>
        <source>Save the changes to “{name}”?</source>
        <translation>Spara ändringarna i ”{name}”?</translation>
    </message>
</context>
<context>
    <name>HabitListPane</name>
    <message>
        <source>Habits</source>
        <translation>Vanor</translation>
    </message>
    <message>
        <source>Drag a habit to put it elsewhere in your order, or move it with Alt+Up and Alt+Down.</source>
        <translation>Dra en vana för att flytta den i din ordning, eller flytta den med Alt+Upp och Alt+Ned.</translation>
    </message>
    <message>
        <source>Move &amp;up</source>
        <translation>Flytta &amp;upp</translation>
    </message>
    <message>
        <source>Move &amp;down</source>
        <translation>Flytta &amp;ned</translation>
    </message>
    <message>
        <source>Ha&amp;bits</source>
        <translation>&amp;Vanor</translation>
    </message>
    <message>
        <source>Show ar&amp;chived</source>
        <translation>Visa ar&amp;kiverade</translation>
    </message>
    <message>
        <source>Ne&amp;w habit</source>
        <translation>&amp;Ny vana</translation>
    </message>
    <message>
        <source>Create a habit (Ctrl+N)</source>
        <translation>Skapa en vana (Ctrl+N)</translation>
    </message>
    <message>
        <source>&amp;Import from calendar…</source>
        <translation>&amp;Importera från kalender…</translation>
    </message>
    <message>
        <source>Make habits of the recurring tasks and events in a calendar file (.ics)</source>
        <translation>Gör vanor av de återkommande uppgifterna och händelserna i en kalenderfil (.ics)</translation>
    </message>
    <message>
        <source>learning</source>
        <translation>inlärning</translation>
    </message>
    <message>
        <source>reminder retired</source>
        <translation>påminnelse släppt</translation>
    </message>
    <message>
        <source>archived</source>
        <translation>arkiverad</translation>
    </message>
    <message>
        <source>{schedule} · score {score}</source>
        <translation>{schedule} · vanestyrka {score}</translation>
    </message>
    <message>
        <source>{name}, {state}, {detail}</source>
        <translation>{name}, {state}, {detail}</translation>
    </message>
</context>
<context>
    <name>HabitProgress</name>
    <message>
        <source>Score over time</source>
        <translation>Vanestyrka över tid</translation>
    </message>
    <message>
        <source>Outcomes in the last 20 weeks</source>
        <translation>Utfall de senaste 20 veckorna</translation>
    </message>
    <message>
        <source>Habit-formation score</source>
        <translation>Vanestyrka</translation>
    </message>
    <message>
        <source>Streak</source>
        <translation>Svit</translation>
    </message>
    <message>
        <source>Graduation</source>
        <translation>Släppa påminnelsen</translation>
    </message>
    <message>
        <source>Relapse notice</source>
        <translation>Meddelande om återfall</translation>
    </message>
    <message>
        <source>Graduation reason</source>
        <translation>Skäl för att släppa påminnelsen</translation>
    </message>
    <message>
        <source>&amp;Retire the reminder</source>
        <translation>&amp;Släpp påminnelsen</translation>
    </message>
    <message>
        <source>Stops the reminders of this habit; it is still tracked and the reminder returns on a relapse.</source>
        <translation>Stoppar påminnelserna för vanan; den följs fortfarande och påminnelsen kommer tillbaka vid ett återfall.</translation>
    </message>
    <message>
        <source>&amp;Stop tracking (archive)</source>
        <translation>Sluta &amp;följa (arkivera)</translation>
    </message>
    <message>
        <source>Score {score}; nothing settled yet</source>
        <translation>Vanestyrka {score}; inget avgjort än</translation>
    </message>
    <message>
        <source>Score {score}; the one settled time was before the reminder</source>
        <translation>Vanestyrka {score}; den enda avgjorda gången var före påminnelsen</translation>
    </message>
    <message>
        <source>Score {score}; the one settled time was not before the reminder</source>
        <translation>Vanestyrka {score}; den enda avgjorda gången var inte före påminnelsen</translation>
    </message>
    <message>
        <source>The weighted share of recent times you did it before the reminder; after-reminder times count {percent} %.</source>
        <translation>Den viktade andelen av de senaste gångerna som du hann före påminnelsen; gånger efter påminnelsen räknas till {percent} %.</translation>
    </message>
    <message>
        <source>Streak: {current} in a row before the reminder (best {best}).</source>
        <translation>Svit: {current} i rad före påminnelsen (som bäst {best}).</translation>
    </message>
    <message>
        <source>Streak: none yet; each time in a row before the reminder adds one.</source>
        <translation>Svit: ingen ännu; den växer för varje gång i rad som du hinner före påminnelsen.</translation>
    </message>
    <message>
        <source>No settled occurrences yet</source>
        <translation>Inga avgjorda tillfällen än</translation>
    </message>
    <message>
        <source>The one settled so far (graduation looks at the last {recent})</source>
        <translation>Den enda som är avgjord hittills (för att släppa påminnelsen räknas de senaste {recent})</translation>
    </message>
    <message>
        <source>The {count} settled so far (graduation looks at the last {recent})</source>
        <translation>De {count} som är avgjorda hittills (för att släppa påminnelsen räknas de senaste {recent})</translation>
    </message>
    <message>
        <source>The last {recent} occurrences</source>
        <translation>De senaste {recent} tillfällena</translation>
    </message>
    <message>
        <source>Archived: no reminders, and the habit is not tracked.</source>
        <translation>Arkiverad: inga påminnelser, och vanan följs inte.</translation>
    </message>
    <message>
        <source>The reminder is retired; the habit is tracked silently.</source>
        <translation>Påminnelsen är släppt; vanan följs i tysthet.</translation>
    </message>
    <message>
        <source>No reminders ahead: the schedule has ended.</source>
        <translation>Inga fler påminnelser: schemat har tagit slut.</translation>
    </message>
    <message>
        <source>Next reminder: {when}.</source>
        <translation>Nästa påminnelse: {when}.</translation>
    </message>
    <message>
        <source>The reminder came back. {reason}</source>
        <translation>Påminnelsen kom tillbaka. {reason}</translation>
    </message>
    <message>
        <source>The reminder came back today. {reason}</source>
        <translation>Påminnelsen kom tillbaka i dag. {reason}</translation>
    </message>
    <message>
        <source>The reminder came back on {day}. {reason}</source>
        <translation>Påminnelsen kom tillbaka {day}. {reason}</translation>
    </message>
    <message>
        <source>The habit looks formed</source>
        <translation>Vanan verkar sitta</translation>
    </message>
    <message>
        <source>Score {score}; {done} of the last {count} before the reminder</source>
        <translation>Vanestyrka {score}; {done} av de senaste {count} före påminnelsen</translation>
    </message>
    <message>
        <source>One more time before the reminder makes it {up}; after the reminder, {reminded}.</source>
        <translation>En gång till före påminnelsen ger {up}; efter påminnelsen {reminded}.</translation>
    </message>
    <message>
        <source>TrayHabit suggests retiring the reminder; you decide. The habit stays tracked quietly, and if it slips the reminder comes back and TrayHabit tells you why.</source>
        <translation>TrayHabit föreslår att du släpper påminnelsen; du bestämmer. Vanan följs vidare i tysthet, och om den börjar glida kommer påminnelsen tillbaka och TrayHabit berättar varför.</translation>
    </message>
    <message>
        <source>Reminder retired</source>
        <translation>Påminnelsen släppt</translation>
    </message>
    <message>
        <source>No relapse since the reminder was retired. You can stop tracking the habit; archiving keeps its history, and you can restore it at any time.</source>
        <translation>Inget återfall sedan påminnelsen släpptes. Du kan sluta följa vanan; arkivet behåller historiken, och du kan återställa den när du vill.</translation>
    </message>
    <message>
        <source>Retiring the reminder</source>
        <translation>Att släppa påminnelsen</translation>
    </message>
    <message>
        <source>Archived</source>
        <translation>Arkiverad</translation>
    </message>
</context>
<context>
    <name>HabitsModel</name>
    <message>
        <source>Exporting to {file}</source>
        <translation>Exporterar till {file}</translation>
    </message>
    <message>
        <source>Reading {file}</source>
        <translation>Läser {file}</translation>
    </message>
    <message>
        <source>Importing {file}</source>
        <translation>Importerar {file}</translation>
    </message>
    <message>
        <source>Syncing</source>
        <translation>Synkroniserar</translation>
    </message>
    <message>
        <source>Syncing with the CalDAV server</source>
        <translation>Synkroniserar med CalDAV-servern</translation>
    </message>
    <message>
        <source>Testing the connection</source>
        <translation>Testar anslutningen</translation>
    </message>
    <message>
        <source>Connecting to the CalDAV server</source>
        <translation>Ansluter till CalDAV-servern</translation>
    </message>
    <message>
        <source>Disconnecting from the CalDAV server</source>
        <translation>Kopplar från CalDAV-servern</translation>
    </message>
    <message>
        <source>Creating habits from {file}</source>
        <translation>Skapar vanor från {file}</translation>
    </message>
    <message>
        <source>“{name}” has its reminder back. {reason}</source>
        <translation>”{name}” har fått tillbaka sin påminnelse. {reason}</translation>
    </message>
    <message numerus="yes">
        <source>Scoring the history of %n habit(s)</source>
        <translation>
            <numerusform>Räknar fram poängen ur en vanas historik</numerusform>
            <numerusform>Räknar fram poängen ur %n vanors historik</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>HabitsWindow</name>
    <message>
        <source>Message</source>
        <translation>Meddelande</translation>
    </message>
    <message>
        <source>Habit</source>
        <translation>Vana</translation>
    </message>
    <message>
        <source>Progress</source>
        <translation>Framsteg</translation>
    </message>
    <message>
        <source>Habits</source>
        <translation>Vanor</translation>
    </message>
    <message>
        <source>“{name}” is archived: no reminders, and it no longer counts. Restore brings it back.</source>
        <translation>”{name}” är arkiverad: inga påminnelser, och den räknas inte längre. Återställ tar tillbaka den.</translation>
    </message>
    <message>
        <source>“{name}” is tracked again, with its reminder on.</source>
        <translation>”{name}” följs igen, med påminnelsen på.</translation>
    </message>
    <message>
        <source>The reminder of “{name}” is retired. It is still tracked, and comes back if it slips.</source>
        <translation>Påminnelsen för ”{name}” är släppt. Vanan följs fortfarande, och påminnelsen kommer tillbaka om den börjar glida.</translation>
    </message>
    <message>
        <source>Delete habit</source>
        <translation>Ta bort vana</translation>
    </message>
    <message>
        <source>Delete “{name}”? Its whole history goes too: every check-off, the score and the calendar. This cannot be undone.

To stop tracking it but keep the history, archive it instead.</source>
        <translation>Ta bort ”{name}”? Hela historiken försvinner också: varje avbockning, vanestyrkan och kalendern. Det går inte att ångra.

Vill du sluta följa vanan men behålla historiken, arkivera den i stället.</translation>
    </message>
    <message>
        <source>“{name}” is deleted.</source>
        <translation>”{name}” är borttagen.</translation>
    </message>
</context>
<context>
    <name>Notifier</name>
    <message>
        <source>macOS shows notifications only from the TrayHabit app bundle, not from Python</source>
        <translation>macOS visar aviseringar bara från appen TrayHabit.app, inte från Python</translation>
    </message>
    <message>
        <source>this system has no notification centre that TrayHabit knows</source>
        <translation>det här systemet har ingen aviseringstjänst som TrayHabit känner till</translation>
    </message>
    <message>
        <source>Time for this habit — tick it off in TrayHabit.</source>
        <translation>Dags för den här vanan — bocka av den i TrayHabit.</translation>
    </message>
    <message>
        <source>1 reminder while you were away</source>
        <translation>1 påminnelse medan du var borta</translation>
    </message>
    <message>
        <source>{count} reminders while you were away</source>
        <translation>{count} påminnelser medan du var borta</translation>
    </message>
    <message>
        <source>and {count} more</source>
        <translation>och {count} till</translation>
    </message>
    <message>
        <source>Done</source>
        <translation>Klar</translation>
    </message>
    <message>
        <source>Snooze {minutes} min</source>
        <translation>Påminn mig senare ({minutes} min)</translation>
    </message>
</context>
<context>
    <name>OutcomeCalendar</name>
    <message>
        <source>Calendar of outcomes</source>
        <translation>Kalender över utfall</translation>
    </message>
    <message>
        <source>no reminder</source>
        <translation>ingen påminnelse</translation>
    </message>
    <message>
        <source>{day}: {outcome}
Note: {note}</source>
        <translation>{day}: {outcome}
Anteckning: {note}</translation>
    </message>
    <message>
        <source>{day}: {outcome}</source>
        <translation>{day}: {outcome}</translation>
    </message>
    <message>
        <source>Last {weeks} weeks: {counts}.</source>
        <translation>De senaste {weeks} veckorna: {counts}.</translation>
    </message>
    <message>
        <source>The occurrence of {day} is open.</source>
        <translation>Tillfället {day} är öppet.</translation>
    </message>
</context>
<context>
    <name>PresenceSettings</name>
    <message>
        <source>When you are not there</source>
        <translation>När du inte är vid datorn</translation>
    </message>
    <message>
        <source>Hold reminders while I&apos;m a&amp;way, after</source>
        <translation>&amp;Vänta med påminnelser när jag är borta, efter</translation>
    </message>
    <message>
        <source> minutes without input</source>
        <translation> minuter utan tangentbord och mus</translation>
    </message>
    <message>
        <source>Minutes without input before you count as away</source>
        <translation>Minuter utan tangentbord och mus innan du räknas som borta</translation>
    </message>
    <message>
        <source>No keyboard or mouse input for this long means you are away.</source>
        <translation>Rör du varken tangentbord eller mus så här länge räknas du som borta.</translation>
    </message>
    <message>
        <source>…while the screen is locked: always.</source>
        <translation>…medan skärmen är låst: alltid.</translation>
    </message>
    <message>
        <source>…d&amp;uring Do Not Disturb</source>
        <translation>…meda&amp;n Stör ej är på</translation>
    </message>
    <message>
        <source>…while a window is full s&amp;creen</source>
        <translation>…medan ett &amp;fönster visas i helskärm</translation>
    </message>
    <message>
        <source>A presentation, a video or a game: the reminder waits until it ends.</source>
        <translation>En presentation, en film eller ett spel: påminnelsen väntar tills det är slut.</translation>
    </message>
    <message>
        <source>A reminder that comes due while you are not there waits and is shown when you are back; if you check the habit off meanwhile, it counts as done before the reminder.</source>
        <translation>En påminnelse som kommer medan du inte är vid datorn väntar och visas när du är tillbaka; bockar du av vanan under tiden räknas det som att du hann före påminnelsen.</translation>
    </message>
    <message>
        <source>time without input</source>
        <translation>tid utan tangentbord och mus</translation>
    </message>
    <message>
        <source>the screen lock</source>
        <translation>skärmlåset</translation>
    </message>
    <message>
        <source>Do Not Disturb</source>
        <translation>Stör ej</translation>
    </message>
    <message>
        <source>full-screen windows</source>
        <translation>fönster i helskärm</translation>
    </message>
    <message>
        <source>This desktop tells TrayHabit: {what}.</source>
        <translation>Det här skrivbordet talar om för TrayHabit: {what}.</translation>
    </message>
    <message>
        <source>It cannot tell: {what}; reminders are shown regardless of it.</source>
        <translation>Det kan inte tala om: {what}; påminnelserna visas oavsett det.</translation>
    </message>
</context>
<context>
    <name>RemindersSection</name>
    <message>
        <source>Reminders</source>
        <translation>Påminnelser</translation>
    </message>
    <message>
        <source>When one day ends and the next begins, for check-offs and reminders.</source>
        <translation>När en dag slutar och nästa börjar, för avbockningar och påminnelser.</translation>
    </message>
    <message>
        <source>&amp;Day ends at:</source>
        <translation>&amp;Dagen slutar:</translation>
    </message>
    <message>
        <source>Check-offs between midnight and this time count for the day before.</source>
        <translation>Avbockningar mellan midnatt och den här tiden räknas till dagen före.</translation>
    </message>
    <message>
        <source> min</source>
        <translation> min</translation>
    </message>
    <message>
        <source>How long Snooze waits before reminding again.</source>
        <translation>Hur länge Påminn mig senare väntar innan den påminner igen.</translation>
    </message>
    <message>
        <source>Snoo&amp;ze for:</source>
        <translation>Påminn mig &amp;senare om:</translation>
    </message>
    <message>
        <source>&amp;Quiet hours:</source>
        <translation>&amp;Tysta timmar:</translation>
    </message>
    <message>
        <source>Quiet hours start</source>
        <translation>Tysta timmar börjar</translation>
    </message>
    <message>
        <source>Quiet hours end</source>
        <translation>Tysta timmar slutar</translation>
    </message>
    <message>
        <source>to</source>
        <translation>till</translation>
    </message>
    <message>
        <source>Reminders due in these hours wait until they end.</source>
        <translation>Påminnelser som infaller under de här timmarna väntar tills de är slut.</translation>
    </message>
</context>
<context>
    <name>RepairDialog</name>
    <message>
        <source>Your data was repaired</source>
        <translation>Dina data har lagats</translation>
    </message>
    <message>
        <source>TrayHabit found a damaged or missing file in its data folder and repaired it. Your habits and check-offs are as described below.</source>
        <translation>TrayHabit hittade en skadad eller saknad fil i sin datamapp och lagade den. Så här ser det ut för dina vanor och avbockningar nu:</translation>
    </message>
    <message>
        <source>What was repaired</source>
        <translation>Vad som lagades</translation>
    </message>
    <message>
        <source>&amp;Open folder</source>
        <translation>&amp;Öppna mappen</translation>
    </message>
    <message>
        <source>Open the folder that holds the damaged copy</source>
        <translation>Öppna mappen där den skadade kopian ligger</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>Stäng</translation>
    </message>
</context>
<context>
    <name>ScheduleFields</name>
    <message>
        <source>Every day</source>
        <translation>Varje dag</translation>
    </message>
    <message>
        <source>Every weekday (Mon–Fri)</source>
        <translation>Varje vardag (mån–fre)</translation>
    </message>
    <message>
        <source>Every few days</source>
        <translation>Med några dagars mellanrum</translation>
    </message>
    <message>
        <source>Weekly</source>
        <translation>Veckovis</translation>
    </message>
    <message>
        <source>Monthly</source>
        <translation>Månadsvis</translation>
    </message>
    <message>
        <source>Yearly</source>
        <translation>Årsvis</translation>
    </message>
    <message>
        <source>Other (rule)…</source>
        <translation>Annat (regel)…</translation>
    </message>
    <message>
        <source>Repeats</source>
        <translation>Upprepning</translation>
    </message>
    <message>
        <source>Number of days between reminders</source>
        <translation>Antal dagar mellan påminnelserna</translation>
    </message>
    <message>
        <source>Number of weeks between reminders</source>
        <translation>Antal veckor mellan påminnelserna</translation>
    </message>
    <message>
        <source>Number of months between reminders</source>
        <translation>Antal månader mellan påminnelserna</translation>
    </message>
    <message>
        <source>Number of years between reminders</source>
        <translation>Antal år mellan påminnelserna</translation>
    </message>
    <message>
        <source>Recurrence rule (RRULE)</source>
        <translation>Upprepningsregel (RRULE)</translation>
    </message>
    <message>
        <source>A recurrence rule as calendars write it (iCalendar RRULE), e.g. FREQ=MONTHLY;BYDAY=1MO. How to write one: &lt;a href=&quot;{url}&quot;&gt;RFC 5545, section 3.3.10&lt;/a&gt;. TrayHabit reminds at most once a day.</source>
        <translation>En upprepningsregel så som kalendrar skriver den (iCalendar RRULE), t.ex. FREQ=MONTHLY;BYDAY=1MO. Så skriver du en: &lt;a href=&quot;{url}&quot;&gt;RFC 5545, avsnitt 3.3.10&lt;/a&gt;. TrayHabit påminner högst en gång om dagen.</translation>
    </message>
    <message>
        <source>About recurrence rules</source>
        <translation>Om upprepningsregler</translation>
    </message>
    <message>
        <source>Day</source>
        <translation>Dag</translation>
    </message>
    <message>
        <source>On a day of the month</source>
        <translation>På en dag i månaden</translation>
    </message>
    <message>
        <source>The</source>
        <translation>Den</translation>
    </message>
    <message>
        <source>On a weekday of the month</source>
        <translation>På en veckodag i månaden</translation>
    </message>
    <message>
        <source>Day of the month</source>
        <translation>Dag i månaden</translation>
    </message>
    <message>
        <source>&amp;Last day of the month</source>
        <translation>S&amp;ista dagen i månaden</translation>
    </message>
    <message>
        <source>first</source>
        <translation>första</translation>
    </message>
    <message>
        <source>second</source>
        <translation>andra</translation>
    </message>
    <message>
        <source>third</source>
        <translation>tredje</translation>
    </message>
    <message>
        <source>fourth</source>
        <translation>fjärde</translation>
    </message>
    <message>
        <source>last</source>
        <translation>sista</translation>
    </message>
    <message>
        <source>Which of its weekdays in the month</source>
        <translation>Vilken av månadens veckodagar</translation>
    </message>
    <message>
        <source>Weekday</source>
        <translation>Veckodag</translation>
    </message>
    <message>
        <source>Month</source>
        <translation>Månad</translation>
    </message>
</context>
<context>
    <name>ScheduleForm</name>
    <message>
        <source>today at {time}</source>
        <translation>i dag kl. {time}</translation>
    </message>
    <message>
        <source>tomorrow at {time}</source>
        <translation>i morgon kl. {time}</translation>
    </message>
    <message>
        <source>{day} at {time}</source>
        <translation>{day} kl. {time}</translation>
    </message>
    <message>
        <source>Reminder time</source>
        <translation>Tid för påminnelsen</translation>
    </message>
    <message>
        <source>Schedule problem</source>
        <translation>Problem med schemat</translation>
    </message>
    <message>
        <source>Next reminders</source>
        <translation>Nästa påminnelser</translation>
    </message>
    <message>
        <source>About the start date</source>
        <translation>Om startdatumet</translation>
    </message>
    <message>
        <source>&amp;Repeats:</source>
        <translation>&amp;Upprepas:</translation>
    </message>
    <message>
        <source>R&amp;ule:</source>
        <translation>&amp;Regel:</translation>
    </message>
    <message>
        <source>Reminder &amp;time:</source>
        <translation>&amp;Tid för påminnelsen:</translation>
    </message>
    <message>
        <source>Ever&amp;y:</source>
        <translation>Inte&amp;rvall:</translation>
    </message>
    <message>
        <source>&amp;Falls on:</source>
        <translation>Infa&amp;ller:</translation>
    </message>
</context>
<context>
    <name>SchedulePreview</name>
    <message>
        <source>Reminds at {time} on the days of a custom rule.</source>
        <translation>Påminner kl. {time} de dagar en egen regel anger.</translation>
    </message>
    <message>
        <source>Reminds {schedule}.</source>
        <translation>Påminner {schedule}.</translation>
    </message>
    <message>
        <source>No reminders ahead: the rule ends before today.</source>
        <translation>Inga fler påminnelser: regeln tar slut före i dag.</translation>
    </message>
    <message>
        <source>The next reminders:</source>
        <translation>Nästa påminnelser:</translation>
    </message>
</context>
<context>
    <name>ScheduleRules</name>
    <message>
        <source>Choose at least one day of the week.</source>
        <translation>Välj minst en veckodag.</translation>
    </message>
    <message>
        <source>Write a rule, e.g. FREQ=WEEKLY;BYDAY=TU,TH.</source>
        <translation>Skriv en regel, t.ex. FREQ=WEEKLY;BYDAY=TU,TH.</translation>
    </message>
</context>
<context>
    <name>ScoreCurve</name>
    <message>
        <source>Score curve</source>
        <translation>Vanestyrkans kurva</translation>
    </message>
    <message>
        <source>No settled occurrences yet</source>
        <translation>Inga avgjorda tillfällen än</translation>
    </message>
    <message>
        <source>retire the reminder from {score}</source>
        <translation>släpp påminnelsen från {score}</translation>
    </message>
    <message>
        <source>relapse below {score}</source>
        <translation>återfall under {score}</translation>
    </message>
    <message>
        <source>{day}: score {score}</source>
        <translation>{day}: vanestyrka {score}</translation>
    </message>
    <message>
        <source>Score {score} on {last}.</source>
        <translation>Vanestyrka {score} den {last}.</translation>
    </message>
    <message>
        <source>Score {score} on {last}, from {first}; highest {best}.</source>
        <translation>Vanestyrka {score} den {last}, räknat från {first}; som högst {best}.</translation>
    </message>
    <message>
        <source>Retiring the reminder is suggested from {graduation}; a retired reminder comes back below {relapse}.</source>
        <translation>Att släppa påminnelsen föreslås från {graduation}; en släppt påminnelse kommer tillbaka under {relapse}.</translation>
    </message>
    <message>
        <source>No settled occurrences yet.</source>
        <translation>Inga avgjorda tillfällen än.</translation>
    </message>
</context>
<context>
    <name>ScoreSection</name>
    <message>
        <source>Score</source>
        <translation>Vanestyrka</translation>
    </message>
    <message>
        <source>How the habit-formation score is computed and when TrayHabit suggests retiring a reminder. The defaults follow the habit research; most people never change them.</source>
        <translation>Hur vanestyrkan räknas ut och när TrayHabit föreslår att du släpper en påminnelse. Standardvärdena följer forskningen om vanor; de flesta ändrar dem aldrig.</translation>
    </message>
    <message>
        <source>&amp;Advanced</source>
        <translation>&amp;Avancerat</translation>
    </message>
    <message>
        <source>Credit before the reminder:</source>
        <translation>Poäng före påminnelsen:</translation>
    </message>
    <message>
        <source>Credit after the reminder:</source>
        <translation>Poäng efter påminnelsen:</translation>
    </message>
    <message>
        <source>Credit for a late check-off:</source>
        <translation>Poäng för avbockning i efterhand:</translation>
    </message>
    <message>
        <source>Half-life, daily habit:</source>
        <translation>Halveringstid, daglig vana:</translation>
    </message>
    <message>
        <source>Suggest retiring from score:</source>
        <translation>Föreslå att släppa från:</translation>
    </message>
    <message>
        <source>…with a pre-empted share of:</source>
        <translation>…när andelen före påminnelsen är:</translation>
    </message>
    <message>
        <source>Relapse below score:</source>
        <translation>Återfall under:</translation>
    </message>
    <message>
        <source>Skips allowed:</source>
        <translation>Tillåtna överhoppningar:</translation>
    </message>
    <message>
        <source>Score credit for a check-off before the reminder.</source>
        <translation>Poäng i vanestyrkan för en avbockning före påminnelsen.</translation>
    </message>
    <message>
        <source>Score credit for a check-off after the reminder.</source>
        <translation>Poäng i vanestyrkan för en avbockning efter påminnelsen.</translation>
    </message>
    <message>
        <source>Score credit for a check-off after the window closed.</source>
        <translation>Poäng i vanestyrkan för en avbockning när tiden redan gått ut.</translation>
    </message>
    <message>
        <source>Half-life of the score in occurrences for a daily habit; habits that come less often get a shorter one (scaled by the square root of the frequency).</source>
        <translation>Vanestyrkans halveringstid i antal tillfällen för en daglig vana; vanor som kommer mer sällan får en kortare (skalad med kvadratroten ur frekvensen).</translation>
    </message>
    <message>
        <source>Score from which retiring the reminder is suggested.</source>
        <translation>Vanestyrka från vilken TrayHabit föreslår att påminnelsen släpps.</translation>
    </message>
    <message>
        <source>Share of the recent occurrences that must have been pre-empted before retiring the reminder is suggested.</source>
        <translation>Andel av de senaste tillfällena som du måste ha hunnit före påminnelsen innan TrayHabit föreslår att den släpps.</translation>
    </message>
    <message>
        <source>A habit whose reminder was retired gets it back below this score.</source>
        <translation>En vana vars påminnelse släppts får tillbaka den under den här vanestyrkan.</translation>
    </message>
    <message>
        <source>Skips allowed among the recent occurrences; more count as missed.</source>
        <translation>Tillåtna överhoppningar bland de senaste tillfällena; fler räknas som missade.</translation>
    </message>
    <message>
        <source> occurrences</source>
        <translation> tillfällen</translation>
    </message>
    <message>
        <source>{description}
Default: {default}</source>
        <translation>{description}
Standard: {default}</translation>
    </message>
    <message>
        <source>&amp;Restore defaults</source>
        <translation>Åte&amp;rställ standardvärden</translation>
    </message>
    <message>
        <source>Put every score setting back to its default.</source>
        <translation>Återställ alla inställningar för vanestyrkan till standardvärdena.</translation>
    </message>
</context>
<context>
    <name>SettingsWindow</name>
    <message>
        <source>Settings</source>
        <translation>Inställningar</translation>
    </message>
</context>
<context>
    <name>SyncDriver</name>
    <message>
        <source>Syncing… (%1 of %2 files)</source>
        <translation>Synkroniserar… (%1 av %2 filer)</translation>
    </message>
    <message>
        <source>The sync folder is not there (a drive not connected?). Your habits are kept on this computer and sync when it is back.</source>
        <translation>Synkmappen finns inte (en enhet som inte är ansluten?). Dina vanor finns kvar på den här datorn och synkroniseras när den är tillbaka.</translation>
    </message>
    <message>
        <source>No other computer has synced into this folder yet.</source>
        <translation>Ingen annan dator har synkroniserat till den här mappen än.</translation>
    </message>
    <message>
        <source>In sync with one other computer.</source>
        <translation>Synkroniserad med en annan dator.</translation>
    </message>
    <message>
        <source>In sync with %1 other computers.</source>
        <translation>Synkroniserad med %1 andra datorer.</translation>
    </message>
    <message>
        <source>Not everything the other computers wrote could be used: %1</source>
        <translation>En del av det som de andra datorerna skrev gick inte att använda: %1</translation>
    </message>
</context>
<context>
    <name>SyncSection</name>
    <message>
        <source>Sync between computers</source>
        <translation>Synkning mellan datorer</translation>
    </message>
    <message>
        <source>Off</source>
        <translation>Av</translation>
    </message>
    <message>
        <source>C&amp;hoose…</source>
        <translation>V&amp;älj…</translation>
    </message>
    <message>
        <source>&amp;Turn off</source>
        <translation>S&amp;täng av</translation>
    </message>
    <message>
        <source>S&amp;ync folder:</source>
        <translation>S&amp;ynkmapp:</translation>
    </message>
    <message>
        <source>A folder Syncthing, Dropbox, OneDrive or iCloud Drive keeps in sync. Each computer writes only its own files there and merges the others&apos;.</source>
        <translation>En mapp som Syncthing, Dropbox, OneDrive eller iCloud Drive håller synkroniserad. Varje dator skriver bara sina egna filer där och slår ihop de andras.</translation>
    </message>
    <message>
        <source>&amp;Remind me on this computer</source>
        <translation>&amp;Påminn mig på den här datorn</translation>
    </message>
    <message>
        <source>Turn off on a computer you leave at home: another computer reminds you instead.</source>
        <translation>Stäng av på en dator du lämnar hemma: en annan dator påminner dig i stället.</translation>
    </message>
    <message>
        <source>Reminders:</source>
        <translation>Påminnelser:</translation>
    </message>
    <message>
        <source>Choose the sync folder</source>
        <translation>Välj synkmapp</translation>
    </message>
</context>
<context>
    <name>Task</name>
    <message>
        <source>%1 (%2 of %3)</source>
        <translation>%1 (%2 av %3)</translation>
    </message>
</context>
<context>
    <name>TaskProgress</name>
    <message>
        <source>Cancel</source>
        <translation>Avbryt</translation>
    </message>
    <message>
        <source>Cancelling…</source>
        <translation>Avbryter…</translation>
    </message>
</context>
<context>
    <name>TrayHabitApp</name>
    <message>
        <source>the desktop&apos;s own notifications</source>
        <translation>skrivbordets egna aviseringar</translation>
    </message>
    <message>
        <source>the tray icon&apos;s messages</source>
        <translation>ikonens meddelanden i systemfältet</translation>
    </message>
    <message>
        <source>plyer</source>
        <translation>plyer</translation>
    </message>
    <message>
        <source>Reminders are shown with {way}.</source>
        <translation>Påminnelser visas med {way}.</translation>
    </message>
    <message>
        <source>No way to show notifications works here: reminders wait in the tray menu.</source>
        <translation>Inget sätt att visa aviseringar fungerar här: påminnelserna väntar i menyn i systemfältet.</translation>
    </message>
    <message>
        <source>Not used: {way} ({reason}).</source>
        <translation>Används inte: {way} ({reason}).</translation>
    </message>
    <message>
        <source>TrayHabit</source>
        <translation>TrayHabit</translation>
    </message>
    <message>
        <source>“{name}” looks like a habit now.</source>
        <translation>”{name}” verkar ha blivit en vana.</translation>
    </message>
    <message>
        <source>&amp;Retire the reminder</source>
        <translation>&amp;Släpp påminnelsen</translation>
    </message>
    <message>
        <source>&amp;Not yet</source>
        <translation>&amp;Inte än</translation>
    </message>
    <message>
        <source>“{name}” has kept going without its reminder.</source>
        <translation>”{name}” har hållit i sig utan påminnelse.</translation>
    </message>
    <message>
        <source>&amp;Stop tracking it</source>
        <translation>&amp;Sluta följa den</translation>
    </message>
    <message>
        <source>&amp;Keep tracking</source>
        <translation>&amp;Fortsätt följa</translation>
    </message>
</context>
<context>
    <name>TrayIcon</name>
    <message>
        <source>TrayHabit</source>
        <extracomment>How many names the tooltip lists before &quot;and N more&quot; (Windows cuts tooltips at 127 characters).</extracomment>
        <translation>TrayHabit</translation>
    </message>
    <message>
        <source>Reminders paused until {when}</source>
        <translation>Påminnelser pausade till {when}</translation>
    </message>
    <message>
        <source>1 reminder waiting: {names}</source>
        <translation>1 påminnelse väntar: {names}</translation>
    </message>
    <message>
        <source>{count} reminders waiting: {names}</source>
        <translation>{count} påminnelser väntar: {names}</translation>
    </message>
    <message>
        <source>Next reminder: {when} — {name}</source>
        <translation>Nästa påminnelse: {when} — {name}</translation>
    </message>
    <message>
        <source>Next reminder: {when}</source>
        <translation>Nästa påminnelse: {when}</translation>
    </message>
    <message>
        <source>Today</source>
        <translation>I dag</translation>
    </message>
    <message>
        <source>No habits today</source>
        <translation>Inga vanor i dag</translation>
    </message>
    <message>
        <source>Due now</source>
        <translation>Dags nu</translation>
    </message>
    <message>
        <source>&amp;Check off…</source>
        <translation>&amp;Bocka av…</translation>
    </message>
    <message>
        <source>&amp;Habits…</source>
        <translation>&amp;Vanor…</translation>
    </message>
    <message>
        <source>&amp;Settings…</source>
        <translation>&amp;Inställningar…</translation>
    </message>
    <message>
        <source>&amp;Quit TrayHabit</source>
        <translation>&amp;Avsluta TrayHabit</translation>
    </message>
    <message>
        <source>{name} (skipped)</source>
        <translation>{name} (överhoppad)</translation>
    </message>
    <message>
        <source>&amp;Done</source>
        <translation>&amp;Klar</translation>
    </message>
    <message>
        <source>&amp;Snooze {minutes} min</source>
        <translation>&amp;Påminn mig senare ({minutes} min)</translation>
    </message>
    <message>
        <source>&amp;Pause reminders</source>
        <translation>Pa&amp;usa påminnelser</translation>
    </message>
    <message>
        <source>Paused until {when}</source>
        <translation>Pausad till {when}</translation>
    </message>
    <message>
        <source>For 1 &amp;hour</source>
        <translation>I 1 &amp;timme</translation>
    </message>
    <message>
        <source>Until &amp;tomorrow</source>
        <translation>Till i &amp;morgon</translation>
    </message>
    <message>
        <source>&amp;Resume</source>
        <translation>&amp;Återuppta</translation>
    </message>
    <message>
        <source>{day} {time}</source>
        <translation>{day} {time}</translation>
    </message>
    <message>
        <source>{date} {time}</source>
        <translation>{date} {time}</translation>
    </message>
    <message>
        <source>{names} and {count} more</source>
        <translation>{names} och {count} till</translation>
    </message>
</context>
<context>
    <name>TrayNotifier</name>
    <message>
        <source>there is no tray icon to show messages from</source>
        <translation>det finns ingen ikon i systemfältet att visa meddelanden från</translation>
    </message>
</context>
<context>
    <name>WelcomeDialog</name>
    <message>
        <source>Welcome</source>
        <translation>Välkommen</translation>
    </message>
    <message>
        <source>Welcome to TrayHabit</source>
        <translation>Välkommen till TrayHabit</translation>
    </message>
    <message>
        <source>TrayHabit helps a good intention become a habit, and then lets the reminder go. It works in three steps:</source>
        <translation>TrayHabit hjälper en god föresats att bli en vana, och släpper sedan påminnelsen. Det går till i tre steg:</translation>
    </message>
    <message>
        <source>&lt;b&gt;Pick a first habit to start from.&lt;/b&gt; You can change everything before you save it.</source>
        <translation>&lt;b&gt;Välj en första vana att utgå från.&lt;/b&gt; Du kan ändra allt innan du sparar den.</translation>
    </message>
    <message>
        <source>Start from scratch</source>
        <translation>Börja från början</translation>
    </message>
    <message>
        <source>An empty habit, with your own name and schedule.</source>
        <translation>En tom vana, med ditt eget namn och schema.</translation>
    </message>
    <message>
        <source>&amp;Not now</source>
        <translation>I&amp;nte nu</translation>
    </message>
    <message>
        <source>Follow up sent quotes</source>
        <translation>Följ upp skickade offerter</translation>
    </message>
    <message>
        <source>Deals close on follow-up</source>
        <translation>Affärerna avgörs i uppföljningen</translation>
    </message>
    <message>
        <source>Every Friday at 15:00</source>
        <translation>Varje fredag kl. 15:00</translation>
    </message>
    <message>
        <source>Follow up after a customer meeting</source>
        <translation>Följ upp efter kundmötet</translation>
    </message>
    <message>
        <source>Send the summary while it is fresh</source>
        <translation>Sammanfatta medan det är färskt</translation>
    </message>
    <message>
        <source>Every weekday at 16:30</source>
        <translation>Varje vardag kl. 16:30</translation>
    </message>
    <message>
        <source>Plan tomorrow</source>
        <translation>Planera morgondagen</translation>
    </message>
    <message>
        <source>Start tomorrow knowing what comes first</source>
        <translation>Vet redan nu vad du börjar med</translation>
    </message>
    <message>
        <source>Every weekday at 17:00</source>
        <translation>Varje vardag kl. 17:00</translation>
    </message>
    <message>
        <source>&lt;b&gt;Give the behaviour a recurring reminder.&lt;/b&gt; A weekly “follow up the quotes I sent”, for instance.</source>
        <translation>&lt;b&gt;Ge beteendet en återkommande påminnelse.&lt;/b&gt; Till exempel ”följ upp offerterna jag skickat” en gång i veckan.</translation>
    </message>
    <message>
        <source>&lt;b&gt;Do it when you are reminded.&lt;/b&gt; Soon you will find yourself doing it &lt;i&gt;before&lt;/i&gt; the reminder, and tick it off at once when the reminder comes: you have &lt;b&gt;pre-empted&lt;/b&gt; the reminder.</source>
        <translation>&lt;b&gt;Gör det när du blir påmind.&lt;/b&gt; Snart märker du att du gör det &lt;i&gt;innan&lt;/i&gt; påminnelsen kommer, och bockar av direkt när den dyker upp: du har &lt;b&gt;hunnit före påminnelsen&lt;/b&gt;.</translation>
    </message>
    <message>
        <source>&lt;b&gt;Let the reminder go.&lt;/b&gt; When you pre-empt it reliably, TrayHabit suggests retiring the reminder: the behaviour has become a habit.</source>
        <translation>&lt;b&gt;Släpp påminnelsen.&lt;/b&gt; När du hinner före påminnelsen gång på gång föreslår TrayHabit att du släpper den: beteendet har blivit en vana.</translation>
    </message>
    <message>
        <source>the menu bar</source>
        <translation>menyraden</translation>
    </message>
    <message>
        <source>the notification area of the taskbar</source>
        <translation>meddelandefältet i aktivitetsfältet</translation>
    </message>
    <message>
        <source>the system tray</source>
        <translation>systemfältet</translation>
    </message>
    <message>
        <source>TrayHabit lives in {where}. Click its icon whenever you like to tick a habit off; reminders come from there too.</source>
        <translation>TrayHabit finns i {where}. Klicka på ikonen när du vill för att bocka av en vana; påminnelserna kommer också därifrån.</translation>
    </message>
    <message>
        <source>{when} · {why}</source>
        <translation>{when} · {why}</translation>
    </message>
</context>
<context>
    <name>run_app</name>
    <message>
        <source>Cannot start</source>
        <translation>Kan inte starta</translation>
    </message>
    <message>
        <source>TrayHabit met an internal error and cannot start. The details are in {file}.</source>
        <translation>TrayHabit stötte på ett internt fel och kan inte starta. Detaljerna finns i {file}.</translation>
    </message>
    <message>
        <source>Opened the habits window in the running TrayHabit.</source>
        <translation>Öppnade fönstret Vanor i TrayHabit, som redan körs.</translation>
    </message>
    <message>
        <source>Opened the settings window in the running TrayHabit.</source>
        <translation>Öppnade fönstret Inställningar i TrayHabit, som redan körs.</translation>
    </message>
    <message>
        <source>Opened the check-off window in the running TrayHabit.</source>
        <translation>Öppnade fönstret Bocka av i TrayHabit, som redan körs.</translation>
    </message>
</context>
</TS>
