#!/usr/bin/env bash
# Pack TrayHabit.app into a compressed disk image with the usual drag-to-Applications layout.
#
#   packaging/macos/make-dmg.sh APP VERSION OUTDMG [IDENTITY]
#
# VERSION must equal the app's CFBundleShortVersionString: a stale bundle is refused rather than
# shipped under a new version's name. With a real IDENTITY (not "-") the image is signed too, which
# notarization of the image expects; sign the app with sign.sh before packing it.
set -euo pipefail

usage() {
    echo "usage: $0 APP VERSION OUTDMG [IDENTITY]" >&2
    echo "  APP       the signed .app bundle (dist/TrayHabit.app)" >&2
    echo "  VERSION   its version, as in trayhabit/__init__.py (checked against Info.plist)" >&2
    echo "  OUTDMG    the disk image to write (replaced if it exists)" >&2
    echo "  IDENTITY  a codesigning identity to sign the image with; default '-' (leave it unsigned)" >&2
    exit 2
}

if [ "$#" -lt 3 ] || [ "$#" -gt 4 ]; then
    usage
fi
app=${1%/}
version=$2
dmg=$3
identity=${4:--}

if [ ! -d "$app/Contents/MacOS" ]; then
    echo "make-dmg.sh: $app is not an app bundle (no Contents/MacOS)" >&2
    exit 1
fi
bundle_version=$(/usr/libexec/PlistBuddy -c 'Print :CFBundleShortVersionString' "$app/Contents/Info.plist")
if [ "$bundle_version" != "$version" ]; then
    echo "make-dmg.sh: $app is version $bundle_version, not $version: rebuild it first" >&2
    exit 1
fi

staging=$(mktemp -d)
trap 'rm -rf "$staging"' EXIT
# ditto keeps the bundle's symlinks, permissions and code signatures intact (cp -R may not).
ditto "$app" "$staging/$(basename "$app")"
ln -s /Applications "$staging/Applications"

mkdir -p "$(dirname "$dmg")"
# hdiutil sometimes fails with "Resource busy" while Spotlight or XProtect still looks at a fresh
# file, notably on CI machines: try a few times before giving up.
attempt=1
until hdiutil create -volname TrayHabit -srcfolder "$staging" -ov -format UDZO -fs HFS+ "$dmg"; do
    if [ "$attempt" -ge 4 ]; then
        echo "make-dmg.sh: hdiutil create failed $attempt times" >&2
        exit 1
    fi
    echo "make-dmg.sh: hdiutil create failed; retrying in $((attempt * 5)) s" >&2
    sleep $((attempt * 5))
    attempt=$((attempt + 1))
done

if [ "$identity" != "-" ]; then
    codesign --force --sign "$identity" --timestamp "$dmg"
    codesign --verify --strict --verbose=2 "$dmg"
fi
hdiutil verify "$dmg"
echo "make-dmg.sh: wrote $dmg"
