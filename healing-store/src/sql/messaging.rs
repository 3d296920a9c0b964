//! Messages between patients and their care team ([`MessagingStore`]).
//!
//! A conversation (`message_threads`) has two members (`message_thread_members`,
//! each with how far they have read and what they deleted for themself) and
//! numbered, sealed messages (`messages`). Every message is checked against the
//! rules of [`crate::threads`] with the links and consent as they stand, in the
//! transaction that writes it, with the patient's row locked (as consent decisions
//! and link requests lock it), and a patient's message is stored with its
//! screening.
//!
//! Compiled once per back end; see [`crate::sql`].

use std::collections::{HashMap, HashSet};

use healing_core::consent::ConsentEvent;
use healing_core::ids::PersonId;
use healing_core::timestamp::Timestamp;

use super::common::{column, expect_row, not_found};
use super::{Db, DbRow, ROW_LOCK, SqlStore};
use crate::Error;
use crate::contract::MessagingStore;
use crate::convert::{instant, named, new_id, open, page_bounds, person, seal};
use crate::error::from_sqlx;
use crate::records::*;
use crate::sql::AffectedRows;
use crate::threads::{MessageRefusal, Party, check_members, patient_of};

/// The table, as bound into each sealed body's associated data.
const TABLE: &str = "messages";

/// The columns `thread_message_from_row` reads, of `messages` aliased `m`.
macro_rules! thread_message_columns {
    () => {
        "m.id, m.thread_id, m.seq, m.sender_id, m.body, m.sent_at"
    };
}

/// A conversation with its members, one row per member, in id order.
const THREAD: &str = "SELECT t.id, t.patient_id, t.started_at, t.last_seq, t.last_message_at, \
       tm.person_id, tm.read_seq, tm.hidden_seq \
     FROM message_threads t JOIN message_thread_members tm ON tm.thread_id = t.id \
     WHERE t.id = $1 ORDER BY tm.person_id";

/// The conversations `$1` is a member of, as the inbox needs them: the other
/// member, both members' roles, the latest message, and the messages from the
/// other member after `$1`'s read and delete positions (a correlated count on the
/// `(thread_id, seq)` index). Conversations `$1` deleted are left out until a new
/// message comes.
const INBOX_THREADS: &str = "SELECT t.id, t.patient_id, t.last_message_at, \
       o.person_id AS other_id, ou.role AS other_role, mu.role AS my_role, \
       (SELECT COUNT(*) FROM messages x WHERE x.thread_id = t.id \
          AND x.seq > me.read_seq AND x.seq > me.hidden_seq \
          AND x.sender_id <> me.person_id) AS unread \
     FROM message_thread_members me \
     JOIN message_threads t ON t.id = me.thread_id \
     JOIN message_thread_members o ON o.thread_id = t.id AND o.person_id <> me.person_id \
     JOIN users ou ON ou.id = o.person_id \
     JOIN users mu ON mu.id = me.person_id \
     WHERE me.person_id = $1 AND t.last_seq > me.hidden_seq \
     ORDER BY t.last_message_at DESC, t.id";

/// The patients of `$1`'s conversations.
macro_rules! inbox_patients {
    () => {
        "(SELECT t.patient_id FROM message_threads t \
          JOIN message_thread_members me ON me.thread_id = t.id WHERE me.person_id = $1)"
    };
}

/// The accepted links (`$2`) of the patients of `$1`'s conversations.
const INBOX_LINKS: &str = concat!(
    "SELECT l.clinician_id, l.patient_id FROM clinician_patient_links l \
     WHERE l.status = $2 AND l.patient_id IN ",
    inbox_patients!()
);

/// The consent decisions of the patients of `$1`'s conversations, in the order
/// recorded.
const INBOX_CONSENT: &str = concat!(
    "SELECT person_id, purpose, decision, at, wording_version, recorded_by_staff_id \
     FROM consent_events WHERE person_id IN ",
    inbox_patients!(),
    " ORDER BY person_id, seq"
);

/// What decides who may see and write to the conversations of an inbox.
struct InboxAccess {
    /// The accepted links, as (clinician id, patient id).
    links: HashSet<(String, String)>,
    /// The patients whose `clinician_sharing` consent is in force.
    sharing: HashSet<String>,
}

impl SqlStore {
    fn thread_message_from_row(&self, row: &DbRow) -> Result<ThreadMessage, Error> {
        let id: String = column(row, "id")?;
        let body: Vec<u8> = column(row, "body")?;
        Ok(ThreadMessage {
            body: open(&self.cipher, TABLE, "body", &id, &body)?,
            thread_id: column(row, "thread_id")?,
            seq: column(row, "seq")?,
            sender_id: person(column(row, "sender_id")?, TABLE, "sender_id")?,
            sent_at: instant(column(row, "sent_at")?, TABLE, "sent_at")?,
            id,
        })
    }

    /// The conversation from its [`THREAD`] rows; `NotFound` without any.
    fn thread_from_rows(thread_id: &str, rows: &[DbRow]) -> Result<MessageThread, Error> {
        let table = "message_threads";
        let [first, second] = rows else {
            return if rows.is_empty() {
                Err(not_found("conversation", thread_id))
            } else {
                Err(Error::CorruptRow {
                    table: "message_thread_members",
                    column: "person_id",
                    reason: format!("a conversation has {} members, not 2", rows.len()),
                })
            };
        };
        let member = |row: &DbRow| -> Result<ThreadMember, Error> {
            Ok(ThreadMember {
                person_id: person(column(row, "person_id")?, table, "person_id")?,
                read_seq: column(row, "read_seq")?,
                hidden_seq: column(row, "hidden_seq")?,
            })
        };
        Ok(MessageThread {
            id: column(first, "id")?,
            patient_id: person(column(first, "patient_id")?, table, "patient_id")?,
            members: [member(first)?, member(second)?],
            started_at: instant(column(first, "started_at")?, table, "started_at")?,
            last_seq: column(first, "last_seq")?,
            last_message_at: instant(column(first, "last_message_at")?, table, "last_message_at")?,
        })
    }

    /// The conversation, read in `tx`.
    async fn thread_in(
        tx: &mut sqlx::Transaction<'static, Db>,
        thread_id: &str,
    ) -> Result<MessageThread, Error> {
        let rows = sqlx::query(THREAD)
            .bind(thread_id)
            .fetch_all(&mut **tx)
            .await
            .map_err(from_sqlx)?;
        Self::thread_from_rows(thread_id, &rows)
    }

    /// Locks the patient's row for the rest of `tx` (`FOR UPDATE` on PostgreSQL;
    /// SQLite's `BEGIN IMMEDIATE` already excludes other writers), so a consent
    /// decision or link request, which lock it too, cannot change the answer of
    /// [`check_parties_in`](Self::check_parties_in) before the message is written.
    async fn lock_patient_in(
        tx: &mut sqlx::Transaction<'static, Db>,
        patient_id: &PersonId,
    ) -> Result<(), Error> {
        sqlx::query(&format!("SELECT id FROM users WHERE id = $1 {ROW_LOCK}"))
            .bind(patient_id.as_str())
            .fetch_optional(&mut **tx)
            .await
            .map_err(from_sqlx)?
            .ok_or(Error::MessageRefused(MessageRefusal::OutsideCareTeam))?;
        Ok(())
    }

    /// The people `ids` as the rules see them, read in `tx`: their roles (`None`
    /// for an id with no account) and whether each has an accepted link to
    /// `patient_id` (when given).
    async fn parties_in<const N: usize>(
        tx: &mut sqlx::Transaction<'static, Db>,
        ids: [&PersonId; N],
        patient_id: Option<&PersonId>,
    ) -> Result<[Party; N], Error> {
        let placeholders = (1..=N)
            .map(|position| format!("${position}"))
            .collect::<Vec<_>>()
            .join(", ");
        let sql = format!("SELECT id, role FROM users WHERE id IN ({placeholders})");
        let mut query = sqlx::query(&sql);
        for id in ids {
            query = query.bind(id.as_str());
        }
        let mut roles = HashMap::new();
        for row in query.fetch_all(&mut **tx).await.map_err(from_sqlx)? {
            let id: String = column(&row, "id")?;
            let role: String = column(&row, "role")?;
            roles.insert(id, named(&role, Role::from_name, "users", "role")?);
        }
        let mut linked = HashSet::new();
        if let Some(patient_id) = patient_id {
            let rows = sqlx::query(
                "SELECT clinician_id FROM clinician_patient_links \
                 WHERE patient_id = $1 AND status = $2",
            )
            .bind(patient_id.as_str())
            .bind(LinkStatus::Accepted.as_str())
            .fetch_all(&mut **tx)
            .await
            .map_err(from_sqlx)?;
            for row in rows {
                linked.insert(column::<String>(&row, "clinician_id")?);
            }
        }
        Ok(ids.map(|id| Party {
            id: id.clone(),
            role: roles.get(id.as_str()).copied(),
            linked: linked.contains(id.as_str()),
        }))
    }

    /// Whether the patient's `clinician_sharing` consent is in force at `at`, read
    /// in `tx` and replayed by the policy layer's own rule.
    pub(super) async fn sharing_in_force_in(
        tx: &mut sqlx::Transaction<'static, Db>,
        patient_id: &PersonId,
        at: Timestamp,
    ) -> Result<bool, Error> {
        let rows = sqlx::query(
            "SELECT person_id, purpose, decision, at, wording_version, recorded_by_staff_id \
             FROM consent_events WHERE person_id = $1 ORDER BY seq",
        )
        .bind(patient_id.as_str())
        .fetch_all(&mut **tx)
        .await
        .map_err(from_sqlx)?;
        let events = rows
            .iter()
            .map(Self::consent_from_row)
            .collect::<Result<Vec<_>, _>>()?;
        crate::links::sharing_in_force(patient_id, events, at)
    }

    /// Checks in `tx` that `members` may write to each other about `patient_id` at
    /// `at` ([`check_members`]).
    async fn check_parties_in(
        tx: &mut sqlx::Transaction<'static, Db>,
        patient_id: &PersonId,
        members: [&PersonId; 2],
        at: Timestamp,
    ) -> Result<(), Error> {
        let [first, second] = Self::parties_in(tx, members, Some(patient_id)).await?;
        let sharing = Self::sharing_in_force_in(tx, patient_id, at).await?;
        check_members(patient_id, [&first, &second], sharing).map_err(Error::MessageRefused)
    }

    /// Appends `message` from `sender` to the conversation in `tx` as its next
    /// message (the conversation's row is updated first, which orders concurrent
    /// writers), with the patient's screening when the patient wrote it.
    /// Returns the message and whether an alert was raised.
    async fn append_message_in(
        &self,
        tx: &mut sqlx::Transaction<'static, Db>,
        thread_id: &str,
        patient_id: &PersonId,
        sender: &PersonId,
        message: &Screened,
        at: Timestamp,
    ) -> Result<(ThreadMessage, bool), Error> {
        let seq: i64 = sqlx::query_scalar(
            "UPDATE message_threads SET last_seq = last_seq + 1, last_message_at = $2 \
             WHERE id = $1 RETURNING last_seq",
        )
        .bind(thread_id)
        .bind(at.unix_seconds())
        .fetch_one(&mut **tx)
        .await
        .map_err(from_sqlx)?;
        let id = new_id()?;
        let sealed = seal(&self.cipher, TABLE, "body", &id, message.text())?;
        sqlx::query(
            "INSERT INTO messages (id, thread_id, seq, sender_id, body, sent_at) \
             VALUES ($1, $2, $3, $4, $5, $6)",
        )
        .bind(&id)
        .bind(thread_id)
        .bind(seq)
        .bind(sender.as_str())
        .bind(sealed)
        .bind(at.unix_seconds())
        .execute(&mut **tx)
        .await
        .map_err(from_sqlx)?;
        // Only what the patient writes raises a concern about the patient; a
        // clinician's words to or about them are not a disclosure.
        let alerted = if sender == patient_id {
            Self::record_screening_in(
                tx,
                &self.alerting,
                patient_id,
                AlertSource::Message,
                &id,
                message,
                at,
            )
            .await?
        } else {
            false
        };
        // The other member hears of it in the app (and by email if they chose);
        // the sender never does.
        let recipient = sqlx::query_scalar::<_, String>(
            "SELECT person_id FROM message_thread_members WHERE thread_id = $1 AND person_id <> $2",
        )
        .bind(thread_id)
        .bind(sender.as_str())
        .fetch_optional(&mut **tx)
        .await
        .map_err(from_sqlx)?;
        if let Some(recipient) = recipient {
            let recipient = person(recipient, "message_thread_members", "person_id")?;
            Self::notify_in(
                tx,
                self.notification_email,
                &recipient,
                NotificationKind::Message,
                thread_id,
                at,
            )
            .await?;
        }
        let stored = ThreadMessage {
            id,
            thread_id: thread_id.to_owned(),
            seq,
            sender_id: sender.clone(),
            body: message.text().to_owned(),
            sent_at: at,
        };
        Ok((stored, alerted))
    }

    /// Every message of the conversations `member` belongs to, oldest first per
    /// conversation (the GDPR export).
    pub(super) async fn messages_of_member(
        &self,
        member: &PersonId,
    ) -> Result<Vec<ThreadMessage>, Error> {
        let rows = self
            .fetch_all(
                sqlx::query(concat!(
                    "SELECT ",
                    thread_message_columns!(),
                    " FROM messages m \
                     JOIN message_thread_members tm ON tm.thread_id = m.thread_id \
                     WHERE tm.person_id = $1 ORDER BY m.thread_id, m.seq"
                ))
                .bind(member.as_str()),
            )
            .await?;
        rows.iter()
            .map(|row| self.thread_message_from_row(row))
            .collect()
    }

    /// Which clinicians have accepted links to which patients, and which patients'
    /// sharing consent is in force at `at`, from the [`INBOX_LINKS`] and
    /// [`INBOX_CONSENT`] rows.
    fn inbox_access(
        link_rows: &[DbRow],
        consent_rows: &[DbRow],
        at: Timestamp,
    ) -> Result<InboxAccess, Error> {
        let mut links = HashSet::new();
        for row in link_rows {
            links.insert((column(row, "clinician_id")?, column(row, "patient_id")?));
        }
        let mut ledgers: HashMap<PersonId, Vec<ConsentEvent>> = HashMap::new();
        for row in consent_rows {
            let event = Self::consent_from_row(row)?;
            ledgers.entry(event.person.clone()).or_default().push(event);
        }
        let mut sharing = HashSet::new();
        for (patient_id, events) in ledgers {
            if crate::links::sharing_in_force(&patient_id, events, at)? {
                sharing.insert(patient_id.as_str().to_owned());
            }
        }
        Ok(InboxAccess { links, sharing })
    }
}

impl MessagingStore for SqlStore {
    async fn start_conversation(
        &self,
        sender: &PersonId,
        recipient: &PersonId,
        about: Option<&PersonId>,
        message: &Screened,
        at: Timestamp,
    ) -> Result<PostedMessage, Error> {
        let mut tx = self.begin_write().await?;
        let patient_id = {
            let (sender_party, recipient_party, about_party) = match about {
                Some(about) => {
                    let [s, r, a] =
                        Self::parties_in(&mut tx, [sender, recipient, about], None).await?;
                    (s, r, Some(a))
                }
                None => {
                    let [s, r] = Self::parties_in(&mut tx, [sender, recipient], None).await?;
                    (s, r, None)
                }
            };
            patient_of(&sender_party, &recipient_party, about_party.as_ref())
                .map_err(Error::MessageRefused)?
        };
        Self::lock_patient_in(&mut tx, &patient_id).await?;
        Self::check_parties_in(&mut tx, &patient_id, [sender, recipient], at).await?;
        let (first, second) = if sender.as_str() < recipient.as_str() {
            (sender, recipient)
        } else {
            (recipient, sender)
        };
        let new_thread_id = new_id()?;
        // A pair has one conversation about one patient (a unique constraint): a
        // second start continues the first.
        let started = sqlx::query(
            "INSERT INTO message_threads \
             (id, patient_id, first_member_id, second_member_id, started_at, last_seq, last_message_at) \
             VALUES ($1, $2, $3, $4, $5, 0, $5) \
             ON CONFLICT (patient_id, first_member_id, second_member_id) DO NOTHING",
        )
        .bind(&new_thread_id)
        .bind(patient_id.as_str())
        .bind(first.as_str())
        .bind(second.as_str())
        .bind(at.unix_seconds())
        .execute(&mut *tx)
        .await
        .map_err(from_sqlx)?
        .affected()
            == 1;
        let thread_id = if started {
            for member in [first, second] {
                sqlx::query(
                    "INSERT INTO message_thread_members (thread_id, person_id, read_seq, hidden_seq) \
                     VALUES ($1, $2, 0, 0)",
                )
                .bind(&new_thread_id)
                .bind(member.as_str())
                .execute(&mut *tx)
                .await
                .map_err(from_sqlx)?;
            }
            new_thread_id
        } else {
            sqlx::query_scalar::<_, String>(
                "SELECT id FROM message_threads \
                 WHERE patient_id = $1 AND first_member_id = $2 AND second_member_id = $3",
            )
            .bind(patient_id.as_str())
            .bind(first.as_str())
            .bind(second.as_str())
            .fetch_one(&mut *tx)
            .await
            .map_err(from_sqlx)?
        };
        let (message, alerted) = self
            .append_message_in(&mut tx, &thread_id, &patient_id, sender, message, at)
            .await?;
        tx.commit().await.map_err(from_sqlx)?;
        if alerted {
            self.wake_delivery_worker();
        }
        Ok(PostedMessage { message, started })
    }

    async fn post_message(
        &self,
        thread_id: &str,
        sender: &PersonId,
        message: &Screened,
        at: Timestamp,
    ) -> Result<ThreadMessage, Error> {
        let mut tx = self.begin_write().await?;
        let thread = Self::thread_in(&mut tx, thread_id).await?;
        if thread.member(sender).is_none() {
            return Err(Error::MessageRefused(MessageRefusal::NotMember));
        }
        Self::lock_patient_in(&mut tx, &thread.patient_id).await?;
        let members = [&thread.members[0].person_id, &thread.members[1].person_id];
        Self::check_parties_in(&mut tx, &thread.patient_id, members, at).await?;
        let (message, alerted) = self
            .append_message_in(&mut tx, thread_id, &thread.patient_id, sender, message, at)
            .await?;
        tx.commit().await.map_err(from_sqlx)?;
        if alerted {
            self.wake_delivery_worker();
        }
        Ok(message)
    }

    async fn message_thread(&self, thread_id: &str) -> Result<MessageThread, Error> {
        let rows = self.fetch_all(sqlx::query(THREAD).bind(thread_id)).await?;
        Self::thread_from_rows(thread_id, &rows)
    }

    async fn inbox(&self, member: &PersonId, at: Timestamp, page: Page) -> Result<Inbox, Error> {
        let thread_rows = self
            .fetch_all(sqlx::query(INBOX_THREADS).bind(member.as_str()))
            .await?;
        let link_rows = self
            .fetch_all(
                sqlx::query(INBOX_LINKS)
                    .bind(member.as_str())
                    .bind(LinkStatus::Accepted.as_str()),
            )
            .await?;
        let consent_rows = self
            .fetch_all(sqlx::query(INBOX_CONSENT).bind(member.as_str()))
            .await?;
        let InboxAccess { links, sharing } = Self::inbox_access(&link_rows, &consent_rows, at)?;
        let table = "message_threads";
        let mut threads = Vec::new();
        for row in &thread_rows {
            let patient_id = person(column(row, "patient_id")?, table, "patient_id")?;
            let party = |id: &PersonId, role: &str| -> Result<Party, Error> {
                Ok(Party {
                    id: id.clone(),
                    role: Some(named(role, Role::from_name, "users", "role")?),
                    linked: links
                        .contains(&(id.as_str().to_owned(), patient_id.as_str().to_owned())),
                })
            };
            let other_id = person(column(row, "other_id")?, table, "other_id")?;
            let me = party(member, &column::<String>(row, "my_role")?)?;
            let other = party(&other_id, &column::<String>(row, "other_role")?)?;
            let sharing = sharing.contains(patient_id.as_str());
            // The member sees the conversation while they may see the patient's
            // record: the patient always, a clinician while linked and shared with.
            let visible =
                &patient_id == member || (me.role == Some(Role::Clinician) && me.linked && sharing);
            if !visible {
                continue;
            }
            threads.push(InboxThread {
                thread_id: column(row, "id")?,
                open: check_members(&patient_id, [&me, &other], sharing).is_ok(),
                patient_id,
                other_member_id: other_id,
                unread: column(row, "unread")?,
                last_message_at: instant(
                    column(row, "last_message_at")?,
                    table,
                    "last_message_at",
                )?,
            });
        }
        let total_threads = threads.len() as u64;
        let total_unread = threads.iter().map(|thread| thread.unread).sum();
        let (limit, offset) = page_bounds(page);
        let threads = threads
            .into_iter()
            .skip(usize::try_from(offset).unwrap_or(usize::MAX))
            .take(usize::try_from(limit).unwrap_or(0))
            .collect();
        Ok(Inbox {
            threads,
            total_threads,
            total_unread,
        })
    }

    async fn thread_messages(
        &self,
        thread_id: &str,
        reader: Option<&PersonId>,
        page: Page,
    ) -> Result<Vec<ThreadMessage>, Error> {
        let (limit, offset) = page_bounds(page);
        let rows = self
            .fetch_all(
                sqlx::query(concat!(
                    "SELECT ",
                    thread_message_columns!(),
                    " FROM messages m WHERE m.thread_id = $1 \
                       AND m.seq > COALESCE((SELECT tm.hidden_seq FROM message_thread_members tm \
                         WHERE tm.thread_id = $1 AND tm.person_id = $2), 0) \
                     ORDER BY m.seq DESC LIMIT $3 OFFSET $4"
                ))
                .bind(thread_id)
                .bind(reader.map(PersonId::as_str))
                .bind(limit)
                .bind(offset),
            )
            .await?;
        rows.iter()
            .map(|row| self.thread_message_from_row(row))
            .collect()
    }

    async fn mark_thread_read(
        &self,
        thread_id: &str,
        member: &PersonId,
        through_seq: Option<i64>,
        at: Timestamp,
    ) -> Result<MessageThread, Error> {
        let through = through_seq.unwrap_or(i64::MAX);
        let mut tx = self.begin_write().await?;
        sqlx::query(
            "UPDATE message_thread_members SET read_seq = \
               (SELECT CASE WHEN $3 < t.last_seq THEN $3 ELSE t.last_seq END \
                FROM message_threads t WHERE t.id = $1) \
             WHERE thread_id = $1 AND person_id = $2 AND read_seq < $3",
        )
        .bind(thread_id)
        .bind(member.as_str())
        .bind(through)
        .execute(&mut *tx)
        .await
        .map_err(from_sqlx)?;
        let thread = Self::thread_in(&mut tx, thread_id).await?;
        let Some(position) = thread.member(member) else {
            return Err(Error::MessageRefused(MessageRefusal::NotMember));
        };
        if position.read_seq >= thread.last_seq {
            // Read to the end: the notification of it has nothing left to say.
            sqlx::query(
                "UPDATE notifications SET read_at = $3 \
                 WHERE user_id = $1 AND kind = 'message' AND subject_id = $2 AND read_at IS NULL",
            )
            .bind(member.as_str())
            .bind(thread_id)
            .bind(at.unix_seconds())
            .execute(&mut *tx)
            .await
            .map_err(from_sqlx)?;
        }
        tx.commit().await.map_err(from_sqlx)?;
        Ok(thread)
    }

    async fn hide_thread(&self, thread_id: &str, member: &PersonId) -> Result<(), Error> {
        expect_row(
            sqlx::query(
                "UPDATE message_thread_members SET \
                   hidden_seq = (SELECT last_seq FROM message_threads WHERE id = $1), \
                   read_seq = (SELECT last_seq FROM message_threads WHERE id = $1) \
                 WHERE thread_id = $1 AND person_id = $2",
            )
            .bind(thread_id)
            .bind(member.as_str())
            .execute(&self.pool)
            .await,
            "conversation member",
            thread_id,
        )
    }
}
