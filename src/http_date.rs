//! The HTTP `date` header (RFC 9110's IMF-fixdate, "Sun, 06 Nov 1994 08:49:37 GMT"): written
//! by the simulator, read by the client so the doctor can compare this computer's clock with
//! the server's.

use time::{Date, Month, OffsetDateTime, PrimitiveDateTime, Time};

const DAYS: [&str; 7] = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"];
const MONTHS: [&str; 12] = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
];

/// Unix seconds as an IMF-fixdate; `None` outside what `time` can represent.
pub fn format(unix: i64) -> Option<String> {
    let t = OffsetDateTime::from_unix_timestamp(unix).ok()?;
    Some(format!(
        "{}, {:02} {} {:04} {:02}:{:02}:{:02} GMT",
        DAYS[t.weekday().number_days_from_monday() as usize],
        t.day(),
        MONTHS[usize::from(u8::from(t.month())) - 1],
        t.year(),
        t.hour(),
        t.minute(),
        t.second()
    ))
}

/// An IMF-fixdate as Unix seconds; `None` for anything else (the obsolete forms included).
pub fn parse(text: &str) -> Option<i64> {
    let mut parts = text.split_ascii_whitespace();
    let (_weekday, day, month, year, clock, zone) = (
        parts.next()?,
        parts.next()?,
        parts.next()?,
        parts.next()?,
        parts.next()?,
        parts.next()?,
    );
    if zone != "GMT" || parts.next().is_some() {
        return None;
    }
    let month = MONTHS.iter().position(|m| *m == month)?;
    let month = Month::try_from(u8::try_from(month + 1).ok()?).ok()?;
    let date = Date::from_calendar_date(year.parse().ok()?, month, day.parse().ok()?).ok()?;
    let mut hms = clock.split(':');
    let time = Time::from_hms(
        hms.next()?.parse().ok()?,
        hms.next()?.parse().ok()?,
        hms.next()?.parse().ok()?,
    )
    .ok()?;
    Some(
        PrimitiveDateTime::new(date, time)
            .assume_utc()
            .unix_timestamp(),
    )
}

#[cfg(test)]
mod tests {
    #[test]
    fn round_trips_and_reads_the_rfc_example() {
        assert_eq!(
            super::parse("Sun, 06 Nov 1994 08:49:37 GMT"),
            Some(784_111_777)
        );
        assert_eq!(
            super::format(784_111_777).as_deref(),
            Some("Sun, 06 Nov 1994 08:49:37 GMT")
        );
        for t in [0, 1_764_460_800, 4_102_444_800] {
            assert_eq!(super::parse(&super::format(t).unwrap()), Some(t));
        }
        assert_eq!(super::parse("Sunday, 06-Nov-94 08:49:37 GMT"), None);
        assert_eq!(super::parse("garbage"), None);
    }
}
