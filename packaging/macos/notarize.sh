#!/usr/bin/env bash
# Have Apple notarize a signed TrayHabit disk image, then staple the ticket to it.
#
#   packaging/macos/notarize.sh DMG
#
# Credentials, the first that is set:
#   NOTARY_PROFILE                            a keychain profile saved once with
#                                             `xcrun notarytool store-credentials PROFILE ...`
#   APPLE_ID, APPLE_TEAM_ID, APPLE_APP_PASSWORD  the Apple ID, its team, and an app-specific
#                                             password made at account.apple.com (CI uses these)
#
# The image and the app in it must be signed with a Developer ID Application identity, with the
# hardened runtime and a secure timestamp (sign.sh and make-dmg.sh with a real IDENTITY).
set -euo pipefail

usage() {
    echo "usage: $0 DMG" >&2
    echo "  credentials: NOTARY_PROFILE, or APPLE_ID with APPLE_TEAM_ID and APPLE_APP_PASSWORD" >&2
    exit 2
}

if [ "$#" -ne 1 ]; then
    usage
fi
dmg=$1
if [ ! -f "$dmg" ]; then
    echo "notarize.sh: no such file: $dmg" >&2
    exit 1
fi

if [ -n "${NOTARY_PROFILE:-}" ]; then
    credentials=(--keychain-profile "$NOTARY_PROFILE")
elif [ -n "${APPLE_ID:-}" ] && [ -n "${APPLE_TEAM_ID:-}" ] && [ -n "${APPLE_APP_PASSWORD:-}" ]; then
    credentials=(--apple-id "$APPLE_ID" --team-id "$APPLE_TEAM_ID" --password "$APPLE_APP_PASSWORD")
else
    missing=()
    for name in APPLE_ID APPLE_TEAM_ID APPLE_APP_PASSWORD; do
        if [ -z "${!name:-}" ]; then
            missing+=("$name")
        fi
    done
    echo "notarize.sh: no notarization credentials. Set NOTARY_PROFILE to a profile saved with" >&2
    echo "  xcrun notarytool store-credentials PROFILE --apple-id ID --team-id TEAM" >&2
    echo "or set APPLE_ID, APPLE_TEAM_ID and APPLE_APP_PASSWORD (missing: ${missing[*]})." >&2
    exit 1
fi

result=$(mktemp)
trap 'rm -f "$result"' EXIT

# notarytool exits 0 whenever Apple gave a verdict, "Invalid" included: read the verdict itself.
echo "notarize.sh: submitting $dmg (this usually takes a few minutes)"
xcrun notarytool submit "$dmg" "${credentials[@]}" --wait --output-format json >"$result"
status=$(plutil -extract status raw -o - "$result" 2>/dev/null || true)
submission=$(plutil -extract id raw -o - "$result" 2>/dev/null || true)
if [ "$status" != "Accepted" ]; then
    echo "notarize.sh: notarization ended with status '${status:-unknown}':" >&2
    cat "$result" >&2
    if [ -n "$submission" ]; then
        echo "notarize.sh: Apple's log of submission $submission:" >&2
        xcrun notarytool log "$submission" "${credentials[@]}" >&2 || true
    fi
    exit 1
fi
echo "notarize.sh: accepted (submission $submission)"

# The ticket goes into the image, so Gatekeeper can check it offline.
xcrun stapler staple "$dmg"
xcrun stapler validate "$dmg"
if codesign --verify "$dmg" 2>/dev/null; then
    # Gatekeeper's view of the image: expect "accepted" and "source=Notarized Developer ID".
    spctl --assess --type open --context context:primary-signature --verbose=2 "$dmg"
else
    # An unsigned image can carry a ticket too, but Gatekeeper then judges only the app inside
    # (make-dmg.sh signs the image when given the IDENTITY).
    echo "notarize.sh: $dmg itself is not signed; Gatekeeper will check the app inside it"
fi
echo "notarize.sh: $dmg is notarized and stapled"
