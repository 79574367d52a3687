//! Expiration dates: a feed gives a date (`2027-01-31`) or an RFC 3339 date-time, the service
//! echoes what it was sent; both sides are brought to one spelling (UTC, whole seconds,
//! `YYYY-MM-DDTHH:MM:SSZ`) so a re-sync compares equal values as equal.

use std::time::{SystemTime, UNIX_EPOCH};

const DAY: i64 = 86_400;

/// Days since 1970-01-01 of a civil date (Howard Hinnant's `days_from_civil`).
fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// The civil date of a day count (`civil_from_days`).
fn civil_from_days(z: i64) -> (i64, i64, i64) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    (
        if m <= 2 {
            yoe + era * 400 + 1
        } else {
            yoe + era * 400
        },
        m,
        d,
    )
}

fn digits(s: &str) -> Option<i64> {
    (!s.is_empty() && s.bytes().all(|b| b.is_ascii_digit()))
        .then(|| s.parse().ok())
        .flatten()
}

fn days_in_month(y: i64, m: i64) -> i64 {
    days_from_civil(
        if m == 12 { y + 1 } else { y },
        if m == 12 { 1 } else { m + 1 },
        1,
    ) - days_from_civil(y, m, 1)
}

/// Seconds since the epoch of `YYYY-MM-DD` (midnight UTC) or an RFC 3339 date-time (fractions
/// of a second dropped); `None` when it is neither.
pub fn parse(text: &str) -> Option<i64> {
    let text = text.trim();
    let (date, time) = match text.find(['T', 't', ' ']) {
        Some(i) => (&text[..i], Some(&text[i + 1..])),
        None => (text, None),
    };
    let mut parts = date.split('-');
    let (y, m, d) = (
        digits(parts.next()?)?,
        digits(parts.next()?)?,
        digits(parts.next()?)?,
    );
    if parts.next().is_some() || date.len() != 10 || !(1..=12).contains(&m) {
        return None;
    }
    if !(1..=days_in_month(y, m)).contains(&d) {
        return None;
    }
    let mut seconds = days_from_civil(y, m, d) * DAY;
    if let Some(time) = time {
        let (clock, offset) = if let Some(clock) = time.strip_suffix(['Z', 'z']) {
            (clock, 0)
        } else {
            let i = time.rfind(['+', '-'])?;
            let (h, mm) = time[i + 1..].split_once(':')?;
            let (h, mm) = (digits(h)?, digits(mm)?);
            let sign = if &time[i..=i] == "-" { -1 } else { 1 };
            (&time[..i], sign * (h * 3600 + mm * 60))
        };
        let clock = clock.split('.').next()?;
        let mut hms = clock.split(':');
        let (h, mi, s) = (
            digits(hms.next()?)?,
            digits(hms.next()?)?,
            digits(hms.next()?)?,
        );
        if hms.next().is_some() || h > 23 || mi > 59 || s > 60 {
            return None;
        }
        seconds += h * 3600 + mi * 60 + s - offset;
    }
    Some(seconds)
}

/// `YYYY-MM-DDTHH:MM:SSZ` of seconds since the epoch.
pub fn format(seconds: i64) -> String {
    let (y, m, d) = civil_from_days(seconds.div_euclid(DAY));
    let s = seconds.rem_euclid(DAY);
    format!(
        "{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}Z",
        s / 3600,
        s / 60 % 60,
        s % 60
    )
}

/// The one spelling of a date or date-time, `None` when it is not one.
pub fn normalize(text: &str) -> Option<String> {
    parse(text).map(format)
}

/// Midnight UTC `days` days after today: what `--expiration 30d` means. A whole day, so every
/// run of one day computes the same date and a re-sync that day changes nothing.
pub fn days_from_today(days: u32) -> String {
    let now = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs() as i64);
    format((now.div_euclid(DAY) + i64::from(days)) * DAY)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_and_date_times_share_one_spelling() {
        assert_eq!(
            normalize("2027-01-31").as_deref(),
            Some("2027-01-31T00:00:00Z")
        );
        assert_eq!(
            normalize("2027-01-31T10:00:00.123+02:00").as_deref(),
            Some("2027-01-31T08:00:00Z")
        );
        assert_eq!(
            normalize("2024-02-29T00:00:00Z").as_deref(),
            Some("2024-02-29T00:00:00Z")
        );
        assert_eq!(normalize("2023-02-29"), None);
        assert_eq!(normalize("31/01/2027"), None);
        assert_eq!(normalize("2027-13-01"), None);
        assert_eq!(format(0), "1970-01-01T00:00:00Z");
    }
}
