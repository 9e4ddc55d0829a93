// Mozilla's ical.js reads a calendar file as a web calendar would, with the file's own time zones:
// prints, as JSON, each VEVENT's occurrences in [FROM, TO) (Unix seconds) as Unix seconds, keyed by UID.
// Usage: node tests/helpers/icaljs_expand.mjs FILE FROM TO
// ical.js has no zone database of its own: a TZID means only what the file's VTIMEZONE says.
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";

const require = createRequire(import.meta.url);
const ICAL = require("./icaljs/node_modules/ical.js/dist/ical.es5.cjs");

const [file, fromText, toText] = process.argv.slice(2);
const from = Number(fromText);
const to = Number(toText);
const root = ICAL.Component.fromString(readFileSync(file, "utf8"));

const zones = [];
for (const vtimezone of root.getAllSubcomponents("vtimezone")) {
    const tzid = vtimezone.getFirstPropertyValue("tzid");
    if (ICAL.TimezoneService.has(tzid)) {
        throw new Error(`ical.js already knew ${tzid}: the file's own VTIMEZONE would not be tested`);
    }
    ICAL.TimezoneService.register(vtimezone);
    zones.push(tzid);
}

const events = {};
for (const component of root.getAllSubcomponents("vevent")) {
    const event = new ICAL.Event(component);
    const occurrences = [];
    const iterator = event.iterator();
    for (let next = iterator.next(); next; next = iterator.next()) {
        const instant = next.toUnixTime();
        if (instant >= to) break;
        if (instant >= from) occurrences.push(instant);
    }
    events[event.uid] = { zone: event.startDate.zone.tzid, occurrences };
}
process.stdout.write(JSON.stringify({ zones, events }));
