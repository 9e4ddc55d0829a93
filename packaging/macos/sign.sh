#!/usr/bin/env bash
# Sign TrayHabit.app from the inside out, then verify the signature.
#
#   packaging/macos/sign.sh APP [IDENTITY]
#
# IDENTITY is a codesigning identity in the keychain, such as
# "Developer ID Application: Jane Doe (AB12CD34EF)" or its SHA-1 hash. Without one, or with "-", the
# app is signed ad hoc: enough to run on the Mac that built it (Apple Silicon runs no unsigned code),
# not enough for Gatekeeper on another Mac. With a real identity every piece gets the hardened runtime
# and a secure timestamp, and the app gets entitlements.plist: what notarization requires.
#
# Why not one `codesign --deep`: --deep signs nested code with the outer call's options, gives every
# dylib the app's entitlements, and Apple advises against it for signing. Here each Mach-O file is
# signed first, then each framework bundle (deepest first), then the app itself, which seals them.
set -euo pipefail

usage() {
    echo "usage: $0 APP [IDENTITY]" >&2
    echo "  APP       the .app bundle to sign (dist/TrayHabit.app)" >&2
    echo "  IDENTITY  a codesigning identity; default '-' (ad hoc)" >&2
    exit 2
}

if [ "$#" -lt 1 ] || [ "$#" -gt 2 ]; then
    usage
fi
app=${1%/}
identity=${2:--}
here=$(cd "$(dirname "$0")" && pwd)
entitlements="$here/entitlements.plist"

if [ ! -d "$app/Contents/MacOS" ]; then
    echo "sign.sh: $app is not an app bundle (no Contents/MacOS)" >&2
    exit 1
fi
command -v codesign >/dev/null || { echo "sign.sh: codesign not found: run this on macOS" >&2; exit 1; }

main_executable=$(/usr/libexec/PlistBuddy -c 'Print :CFBundleExecutable' "$app/Contents/Info.plist")

sign_options=(--force --sign "$identity")
if [ "$identity" != "-" ]; then
    # Notarization demands both on every executable piece.
    sign_options+=(--options runtime --timestamp)
fi

is_macho() {
    case $(file -b "$1") in
        *Mach-O*) return 0 ;;
        *) return 1 ;;
    esac
}

sign() {
    codesign "${sign_options[@]}" "$@"
}

# Extended attributes (Finder info, quarantine flags) make codesign fail with "resource fork,
# Finder information, or similar detritus not allowed".
xattr -cr "$app"

# 1. Every Mach-O file outside the framework bundles and other than the main executable: Python
#    extension modules (.so), dylibs, Qt plugins. -type f skips the symlinks PyInstaller leaves
#    between Contents/Resources and Contents/Frameworks.
count=0
while IFS= read -r -d '' file; do
    if is_macho "$file"; then
        sign "$file"
        count=$((count + 1))
    fi
done < <(find "$app/Contents" -type f ! -path '*.framework/*' ! -path "$app/Contents/MacOS/$main_executable" -print0)
echo "sign.sh: signed $count binaries"

# 2. Framework bundles (Qt's, Python's), deepest first so a nested one is sealed before its parent.
#    Any Mach-O file in a framework besides its main binary is signed first; signing the bundle then
#    signs the main binary and seals the rest. A framework that codesign cannot take as a bundle (no
#    Info.plist: "bundle format unrecognized" or "ambiguous") gets its binaries signed one by one,
#    each through a copy outside the bundle, where codesign takes it as a plain Mach-O file.
sign_outside_bundle() {
    local copy
    copy="$scratch/$(basename "$1")"
    cp -p "$1" "$copy"
    sign "$copy"
    cp -p "$copy" "$1"
    rm -f "$copy"
}

scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
framework_count=0
while IFS= read -r line; do
    framework=${line#* }
    name=$(basename "$framework" .framework)
    while IFS= read -r -d '' file; do
        if [ "$(basename "$file")" != "$name" ] && is_macho "$file"; then
            sign "$file"
        fi
    done < <(find "$framework" -type f ! -path "$framework/*.framework/*" -print0)
    if ! output=$(sign "$framework" 2>&1); then
        echo "sign.sh: $framework is not a well-formed framework bundle ($output); signing its binaries one by one" >&2
        while IFS= read -r -d '' file; do
            if is_macho "$file"; then
                sign_outside_bundle "$file"
            fi
        done < <(find "$framework" -type f ! -path "$framework/*.framework/*" -print0)
    fi
    framework_count=$((framework_count + 1))
done < <(find "$app/Contents" -type d -name '*.framework' | awk -F/ '{ print NF " " $0 }' | sort -rn)
echo "sign.sh: signed $framework_count frameworks"

# 3. The app: its main executable, Info.plist and resources, with the entitlements when it counts.
if [ "$identity" != "-" ]; then
    sign --entitlements "$entitlements" "$app"
else
    sign "$app"
fi

# Verify: the whole bundle, nested code included, strictly as Gatekeeper will.
codesign --verify --deep --strict --verbose=2 "$app"
codesign --display --verbose=2 "$app" 2>&1 | grep -E '^(Identifier|Authority|TeamIdentifier|Timestamp|Runtime Version|Signature)' || true
if [ "$identity" != "-" ]; then
    # Before notarization this says "rejected (Unnotarized Developer ID)"; after notarize.sh and
    # stapling, "accepted, source=Notarized Developer ID". Informative here, so it never fails the build.
    spctl --assess --type execute --verbose=4 "$app" || true
fi
echo "sign.sh: $app signed with identity '$identity'"
