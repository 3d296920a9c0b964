//! Public-API property tests of the parts that need no database: the field cipher and
//! the audit chain verifier.

use healing_core::ids::PersonId;
use healing_core::timestamp::Timestamp;
use healing_store::{
    Aad, AuditAction, AuditChainStatus, AuditChainVerifier, AuditHash, AuditRecord, KeyId,
    audit_entry_hash,
};
use proptest::prelude::*;

use crate::harness::cipher_with;

fn place() -> impl Strategy<Value = (String, String, String)> {
    ("[a-z_]{1,20}", "[a-z_]{1,20}", "[0-9a-f-]{1,36}")
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(128))]

    #[test]
    fn any_value_opens_for_its_own_place(plaintext in proptest::collection::vec(any::<u8>(), 0..512), (table, column, row_id) in place()) {
        let cipher = cipher_with(&[("k1", 1)]);
        let aad = Aad { table: &table, column: &column, row_id: &row_id };
        let sealed = cipher.encrypt(&plaintext, &aad).unwrap();
        prop_assert_eq!(cipher.decrypt(&sealed, &aad).unwrap().to_vec(), plaintext);
        prop_assert_eq!(cipher.key_id_of(&sealed, &aad).unwrap(), KeyId::new("k1").unwrap());
    }

    #[test]
    fn no_value_opens_for_another_row(plaintext in ".{0,64}", (table, column, row_id) in place(), other in "[0-9a-f-]{1,36}") {
        prop_assume!(other != row_id);
        let cipher = cipher_with(&[("k1", 1)]);
        let sealed = cipher.encrypt_text(&plaintext, &Aad { table: &table, column: &column, row_id: &row_id }).unwrap();
        let moved = Aad { table: &table, column: &column, row_id: &other };
        prop_assert!(cipher.decrypt(&sealed, &moved).is_err());
    }

    #[test]
    fn no_changed_byte_goes_unnoticed(plaintext in ".{0,64}", index in any::<prop::sample::Index>(), flip in 1u8..=255) {
        let cipher = cipher_with(&[("k1", 1)]);
        let aad = Aad { table: "messages", column: "body", row_id: "m-1" };
        let mut sealed = cipher.encrypt_text(&plaintext, &aad).unwrap();
        let at = index.index(sealed.len());
        sealed[at] ^= flip;
        prop_assert!(cipher.decrypt(&sealed, &aad).is_err());
    }

    #[test]
    fn decrypting_arbitrary_bytes_fails_without_panicking(bytes in proptest::collection::vec(any::<u8>(), 0..128)) {
        let cipher = cipher_with(&[("k1", 1)]);
        let aad = Aad { table: "messages", column: "body", row_id: "m-1" };
        prop_assert!(cipher.decrypt(&bytes, &aad).is_err());
    }

    #[test]
    fn a_chain_verifies_until_its_first_changed_entry(length in 1usize..30, edit in any::<prop::sample::Index>()) {
        let mut records: Vec<AuditRecord> = Vec::new();
        for seq in 1..=i64::try_from(length).unwrap() {
            let prev_hash = records.last().map_or(AuditHash::GENESIS, |last| last.hash);
            let at = Timestamp::from_unix_seconds(1_780_000_000 + seq).unwrap();
            let detail = format!("{{\"n\":{seq}}}");
            records.push(AuditRecord {
                seq,
                at,
                actor_id: Some(PersonId::new("actor").unwrap()),
                action: AuditAction::new("record_read").unwrap(),
                subject_patient_id: None,
                hash: audit_entry_hash(&prev_hash, seq, at, Some("actor"), "record_read", None, &detail),
                detail,
                prev_hash,
            });
        }
        let mut intact = AuditChainVerifier::new();
        for record in &records {
            prop_assert!(intact.check(record).is_ok());
        }
        prop_assert_eq!(intact.finish().status, AuditChainStatus::Intact);

        let edited = edit.index(records.len());
        records[edited].detail.push(' ');
        let mut verifier = AuditChainVerifier::new();
        let mut first_failure = None;
        for record in &records {
            if verifier.check(record).is_err() {
                first_failure = Some(record.seq);
                break;
            }
        }
        prop_assert_eq!(first_failure, Some(i64::try_from(edited).unwrap() + 1));
        prop_assert_eq!(verifier.finish().entries_checked, u64::try_from(edited).unwrap());
    }
}
