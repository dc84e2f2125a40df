import { tzlib_get_ical_block } from "timezones-ical-library";
for (const tz of ["Europe/Paris", "europe/paris", "EST", "Etc/GMT+5", "UTC", "+01:00", "Asia/Calcutta", "Australia/Lord_Howe", "Asia/Kolkata", "US/Eastern"]) {
  let r: unknown; try { r = tzlib_get_ical_block(tz); } catch (e) { r = "THROW " + (e as Error).message; }
  const resolved = (() => { try { return new Intl.DateTimeFormat("en", { timeZone: tz }).resolvedOptions().timeZone; } catch { return "ERR"; } })();
  console.log(tz, resolved, Array.isArray(r) ? (r[0] ? "block:" + r[0].length : "empty") : r);
}
