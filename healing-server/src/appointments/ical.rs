//! The iCalendar feed of a person's appointments (RFC 5545), so they show in the
//! calendar people already use.
//!
//! One VEVENT per appointment: UID from the appointment's id, DTSTAMP its last
//! change, DTSTART and DTEND in UTC (`Z` form, so no VTIMEZONE is needed and
//! calendars show local time themselves), SEQUENCE rising with changes, STATUS
//! CONFIRMED or CANCELLED, and a SUMMARY that says only "Appointment": a calendar
//! leaves the service's control, so nothing clinical, no name and nothing the
//! patient wrote goes into it. Lines end in CRLF and are folded at 75 octets
//! (RFC 5545 §3.1), never inside a UTF-8 character.

use healing_core::timestamp::Timestamp;
use healing_store::{Appointment, AppointmentState};

/// The calendar's product identifier (RFC 5545 §3.7.3).
pub const PRODID: &str = "-//Healing//Appointments//EN";

/// Longest line in octets, CRLF excluded (RFC 5545 §3.1).
const MAX_LINE_OCTETS: usize = 75;

/// The whole calendar for `appointments`, stamped with the host in UIDs.
pub fn calendar(appointments: &[Appointment], host: &str) -> String {
    let mut out = String::new();
    line(&mut out, "BEGIN:VCALENDAR");
    line(&mut out, "VERSION:2.0");
    line(&mut out, &format!("PRODID:{PRODID}"));
    line(&mut out, "CALSCALE:GREGORIAN");
    line(&mut out, "METHOD:PUBLISH");
    line(&mut out, "X-WR-CALNAME:Healing appointments");
    for appointment in appointments {
        event(&mut out, appointment, host);
    }
    line(&mut out, "END:VCALENDAR");
    out
}

fn event(out: &mut String, appointment: &Appointment, host: &str) {
    let status = if appointment.state.is_cancelled() {
        "CANCELLED"
    } else {
        "CONFIRMED"
    };
    let summary = match appointment.state {
        AppointmentState::Scheduled | AppointmentState::Attended => "Appointment",
        AppointmentState::DidNotAttend => "Appointment (missed)",
        AppointmentState::CancelledByPatient | AppointmentState::CancelledByClinician => {
            "Appointment (cancelled)"
        }
    };
    line(out, "BEGIN:VEVENT");
    line(
        out,
        &format!("UID:{}@{}", text(&appointment.id), text(host)),
    );
    line(out, &format!("DTSTAMP:{}", utc(appointment.updated_at)));
    line(out, &format!("DTSTART:{}", utc(appointment.starts_at)));
    line(out, &format!("DTEND:{}", utc(appointment.ends_at)));
    // A change (cancellation, attendance, a link) is a new revision of the event.
    let sequence = appointment
        .updated_at
        .seconds_since(appointment.booked_at)
        .max(0);
    line(
        out,
        &format!("SEQUENCE:{}", sequence.min(i64::from(i32::MAX))),
    );
    line(out, &format!("SUMMARY:{}", text(summary)));
    line(out, &format!("STATUS:{status}"));
    line(out, "TRANSP:OPAQUE");
    line(out, "END:VEVENT");
}

/// An instant in RFC 5545's UTC form, `20270328T090000Z`.
pub fn utc(at: Timestamp) -> String {
    at.to_rfc3339()
        .chars()
        .filter(|c| !matches!(c, '-' | ':'))
        .collect()
}

/// A TEXT value escaped (RFC 5545 §3.3.11).
pub fn text(value: &str) -> String {
    let mut escaped = String::with_capacity(value.len());
    for c in value.chars() {
        match c {
            '\\' => escaped.push_str("\\\\"),
            ';' => escaped.push_str("\\;"),
            ',' => escaped.push_str("\\,"),
            '\n' => escaped.push_str("\\n"),
            '\r' => {}
            c => escaped.push(c),
        }
    }
    escaped
}

/// Appends one content line, folded at 75 octets: each continuation starts with
/// a space, and a fold never splits a UTF-8 character.
fn line(out: &mut String, content: &str) {
    let mut width = 0;
    for c in content.chars() {
        let octets = c.len_utf8();
        if width + octets > MAX_LINE_OCTETS {
            out.push_str("\r\n ");
            // The leading space counts towards the continuation line's 75.
            width = 1;
        }
        out.push(c);
        width += octets;
    }
    out.push_str("\r\n");
}

#[cfg(test)]
mod tests {
    use super::*;
    use healing_core::ids::PersonId;

    fn at(text: &str) -> Timestamp {
        Timestamp::parse_rfc3339(text).unwrap()
    }

    fn appointment(state: AppointmentState) -> Appointment {
        Appointment {
            id: "appt-1".to_owned(),
            clinician_id: PersonId::new("doc").unwrap(),
            patient_id: PersonId::new("pat").unwrap(),
            starts_at: at("2027-03-28T09:00:00Z"),
            ends_at: at("2027-03-28T09:50:00Z"),
            state,
            video_url: Some("https://video.example/secret".to_owned()),
            booked_at: at("2027-03-01T10:00:00Z"),
            updated_at: at("2027-03-01T10:00:00Z"),
            rescheduled_from: None,
            reminded_at: None,
        }
    }

    #[test]
    fn every_line_ends_in_crlf_and_fits_in_75_octets() {
        let mut out = String::new();
        let long = format!("SUMMARY:{}", "é".repeat(100));
        line(&mut out, &long);
        assert!(out.ends_with("\r\n"));
        for physical in out.split_terminator("\r\n") {
            assert!(physical.len() <= MAX_LINE_OCTETS, "{physical:?}");
        }
        let unfolded = out.trim_end_matches("\r\n").replace("\r\n ", "");
        assert_eq!(unfolded, long, "unfolding gives the line back");
        assert!(!out.replace("\r\n", "").contains('\n'), "no bare LF");
    }

    #[test]
    fn an_event_has_utc_times_and_no_clinical_detail() {
        let feed = calendar(
            &[appointment(AppointmentState::Scheduled)],
            "clinic.example",
        );
        assert!(feed.starts_with("BEGIN:VCALENDAR\r\nVERSION:2.0\r\n"));
        assert!(feed.contains("\r\nUID:appt-1@clinic.example\r\n"));
        assert!(feed.contains("\r\nDTSTART:20270328T090000Z\r\n"));
        assert!(feed.contains("\r\nDTEND:20270328T095000Z\r\n"));
        assert!(feed.contains("\r\nDTSTAMP:20270301T100000Z\r\n"));
        assert!(feed.contains("\r\nSTATUS:CONFIRMED\r\n"));
        assert!(feed.contains("\r\nSUMMARY:Appointment\r\n"));
        assert!(
            !feed.contains("video.example"),
            "the link admits whoever holds it"
        );
        assert!(!feed.contains("doc") && !feed.contains("pat"));
        assert!(feed.ends_with("END:VCALENDAR\r\n"));
    }

    #[test]
    fn a_cancelled_appointment_is_cancelled_with_a_higher_sequence() {
        let mut cancelled = appointment(AppointmentState::CancelledByClinician);
        cancelled.updated_at = at("2027-03-02T10:00:00Z");
        let feed = calendar(&[cancelled], "clinic.example");
        assert!(feed.contains("\r\nSTATUS:CANCELLED\r\n"));
        assert!(feed.contains("\r\nSEQUENCE:86400\r\n"));
    }

    #[test]
    fn text_values_are_escaped() {
        assert_eq!(text("a,b;c\\d\ne"), "a\\,b\\;c\\\\d\\ne");
    }
}
