//! Unit tests of the C API plumbing: the panic boundary, the last error,
//! parameter checks, out-parameters and the ownership registry.

use std::ffi::{CStr, c_char};

use expect_test::{Expect, expect};

use crate::args::{Out, Poisonable, handle_mut, handle_ref, json_arg, json_text, text_arg};
use crate::boundary::{Failure, guard};
use crate::ownership::{Handle, free_handle, leak_handle, leak_string};
use crate::result::healing_result;
use crate::{healing_last_error, healing_result_name, healing_string_free};

/// Renders what a C caller sees after a call: the code's name and the last error.
fn check(code: healing_result, expected: Expect) {
    // SAFETY: both functions return static or thread-local NUL-terminated strings.
    let name = unsafe { CStr::from_ptr(healing_result_name(code as u32)) };
    // SAFETY: as above; read before any other healing call on this thread.
    // SAFETY: healing_last_error never returns NULL and is NUL-terminated.
    let message = unsafe { CStr::from_ptr(healing_last_error()) };
    expected.assert_eq(&format!(
        "{}: {}",
        name.to_string_lossy(),
        message.to_string_lossy()
    ));
}

#[test]
fn success_leaves_an_empty_last_error() {
    check(guard(|| Ok(())), expect![["HEALING_OK: "]]);
}

#[test]
fn failure_returns_its_code_and_message() {
    let code = guard(|| {
        Err(Failure::new(
            healing_result::HEALING_ERR_INVALID_ARGUMENT,
            "parameter `x` is 7",
        ))
    });
    check(
        code,
        expect![["HEALING_ERR_INVALID_ARGUMENT: parameter `x` is 7"]],
    );
}

#[test]
fn panic_becomes_err_panic_with_its_message() {
    let code = guard(|| panic!("boom at step {}", 3));
    check(
        code,
        expect![[
            "HEALING_ERR_PANIC: internal error in healing (please report it): boom at step 3"
        ]],
    );
}

#[test]
fn success_after_failure_clears_the_message() {
    let _ = guard(|| Err(Failure::new(healing_result::HEALING_ERR_PANIC, "x")));
    check(guard(|| Ok(())), expect![["HEALING_OK: "]]);
}

#[test]
fn message_with_nul_byte_is_kept_whole() {
    let code = guard(|| {
        Err(Failure::new(
            healing_result::HEALING_ERR_INVALID_ARGUMENT,
            "value 'a\0b' rejected",
        ))
    });
    check(
        code,
        expect![[r#"HEALING_ERR_INVALID_ARGUMENT: value 'a\0b' rejected"#]],
    );
}

#[test]
fn last_error_is_per_thread() {
    let _ = guard(|| {
        Err(Failure::new(
            healing_result::HEALING_ERR_PANIC,
            "main thread",
        ))
    });
    std::thread::spawn(|| {
        let _ = guard(|| Ok(()));
    })
    .join()
    .expect("thread runs");
    check(
        healing_result::HEALING_ERR_PANIC,
        expect![["HEALING_ERR_PANIC: main thread"]],
    );
}

/// Runs `text_arg` inside the boundary, as an exported function would.
fn text_outcome(data: *const c_char, len: usize) -> healing_result {
    guard(|| {
        // SAFETY: the tests pass NULL or pointers to `len` readable bytes.
        unsafe { text_arg(data, len, "text") }.map(|_| ())
    })
}

#[test]
fn text_rejects_null_even_when_empty() {
    check(
        text_outcome(std::ptr::null(), 0),
        expect![["HEALING_ERR_NULL_PARAMETER: parameter `text` is NULL"]],
    );
}

#[test]
fn text_accepts_empty_and_embedded_nul() {
    check(text_outcome(c"".as_ptr(), 0), expect![["HEALING_OK: "]]);
    let bytes = b"a\0b";
    check(
        text_outcome(bytes.as_ptr().cast(), 3),
        expect![["HEALING_OK: "]],
    );
}

#[test]
fn text_rejects_invalid_utf8_naming_the_offset() {
    let bytes = b"low mood \xff here";
    check(
        text_outcome(bytes.as_ptr().cast(), bytes.len()),
        expect![[
            "HEALING_ERR_INVALID_UTF8: parameter `text` is not valid UTF-8: byte 0xff at offset 9 of 15"
        ]],
    );
}

#[test]
fn text_rejects_length_above_isize_max() {
    check(
        text_outcome(c"x".as_ptr(), usize::MAX),
        expect![[
            "HEALING_ERR_INVALID_ARGUMENT: parameter `text_len` is 18446744073709551615, above the maximum of 9223372036854775807"
        ]],
    );
}

#[test]
fn json_separates_malformed_from_wrong_shape() {
    let malformed = guard(|| json_arg::<Vec<u8>>("[1, 2", "answers_json").map(|_| ()));
    check(
        malformed,
        expect![[
            "HEALING_ERR_INVALID_JSON: parameter `answers_json` is not well-formed JSON: EOF while parsing a list at line 1 column 5"
        ]],
    );
    let wrong_shape = guard(|| json_arg::<Vec<u8>>("[1, 300]", "answers_json").map(|_| ()));
    check(
        wrong_shape,
        expect![[
            "HEALING_ERR_INVALID_ARGUMENT: parameter `answers_json` is not acceptable: invalid value: integer `300`, expected u8 at line 1 column 7"
        ]],
    );
}

#[test]
fn out_parameter_is_blank_when_the_call_fails() {
    let mut out: *mut c_char = c"stale".as_ptr().cast_mut();
    let code = guard(|| {
        // SAFETY: `out` is a valid, aligned local.
        let _out = unsafe { Out::new(&raw mut out, "out_json") }?;
        Err(Failure::new(
            healing_result::HEALING_ERR_INVALID_ARGUMENT,
            "later check failed",
        ))
    });
    assert!(out.is_null());
    check(
        code,
        expect![["HEALING_ERR_INVALID_ARGUMENT: later check failed"]],
    );
}

#[test]
fn out_parameter_null_is_rejected() {
    let code = guard(|| {
        // SAFETY: NULL is allowed by `Out::new`'s contract.
        unsafe { Out::<u32>::new(std::ptr::null_mut(), "out_total") }.map(|_| ())
    });
    check(
        code,
        expect![["HEALING_ERR_NULL_PARAMETER: parameter `out_total` is NULL"]],
    );
}

#[test]
fn strings_round_trip_and_double_free_is_refused() {
    let string = leak_string("{\"total\":12}");
    // SAFETY: `leak_string` returns a NUL-terminated string.
    assert_eq!(unsafe { CStr::from_ptr(string) }, c"{\"total\":12}");
    // SAFETY: a live string from healing, freed once.
    check(
        unsafe { healing_string_free(string) },
        expect![["HEALING_OK: "]],
    );
    // SAFETY: the registry refuses the stale pointer before touching it.
    let again = unsafe { healing_string_free(string) };
    assert_eq!(again, healing_result::HEALING_ERR_UNKNOWN_POINTER);
}

#[test]
fn string_free_of_null_does_nothing() {
    // SAFETY: NULL is allowed.
    check(
        unsafe { healing_string_free(std::ptr::null_mut()) },
        expect![["HEALING_OK: "]],
    );
}

#[test]
fn string_free_refuses_a_pointer_healing_did_not_allocate() {
    let mut local = *b"not ours\0";
    // SAFETY: the registry refuses the foreign pointer before touching it.
    let code = unsafe { healing_string_free(local.as_mut_ptr().cast()) };
    // SAFETY: healing_last_error never returns NULL and is NUL-terminated.
    let message = unsafe { CStr::from_ptr(healing_last_error()) }
        .to_string_lossy()
        .into_owned();
    assert_eq!(code, healing_result::HEALING_ERR_UNKNOWN_POINTER);
    assert!(message.starts_with("parameter `string` (0x"), "{message}");
    assert!(message.ends_with("is not a live string from healing (already freed, or never returned by healing); nothing was freed"), "{message}");
}

#[derive(Debug)]
struct Apple;
impl Handle for Apple {
    const C_NAME: &'static str = "healing_apple";
}
#[derive(Debug)]
struct Pear;
impl Handle for Pear {
    const C_NAME: &'static str = "healing_pear";
}

#[test]
fn handle_free_refuses_the_wrong_kind_and_a_second_free() {
    let apple = leak_handle(Apple);
    let as_pear = apple.cast::<Pear>();
    // SAFETY: the registry refuses the mismatched kind before touching it.
    check(
        guard(|| unsafe { free_handle(as_pear, "pear") }),
        expect![[
            "HEALING_ERR_UNKNOWN_POINTER: parameter `pear` is a healing_apple, not a healing_pear; nothing was freed"
        ]],
    );
    // SAFETY: a live apple, freed once.
    check(
        guard(|| unsafe { free_handle(apple, "apple") }),
        expect![["HEALING_OK: "]],
    );
    // SAFETY: the registry refuses the stale pointer before touching it.
    let again = guard(|| unsafe { free_handle(apple, "apple") });
    assert_eq!(again, healing_result::HEALING_ERR_UNKNOWN_POINTER);
}

#[test]
fn string_given_to_a_handle_free_is_refused() {
    let string = leak_string("x");
    // SAFETY: the registry refuses the mismatched kind before touching it.
    check(
        guard(|| unsafe { free_handle(string.cast::<Apple>(), "apple") }),
        expect![[
            "HEALING_ERR_UNKNOWN_POINTER: parameter `apple` is a string, not a healing_apple; nothing was freed"
        ]],
    );
    // SAFETY: a live string, freed once.
    let code = unsafe { healing_string_free(string) };
    assert_eq!(code, healing_result::HEALING_OK);
}

#[test]
fn panic_inside_an_update_poisons_the_cell() {
    let mut cell = Poisonable::new(vec![1, 2]);
    let code = guard(|| {
        cell.update("healing_ledger", |items| {
            items.push(3);
            panic!("half way")
        })
    });
    assert_eq!(code, healing_result::HEALING_ERR_PANIC);
    check(
        guard(|| cell.read("healing_ledger").map(|_| ())),
        expect![[
            "HEALING_ERR_PANIC: this healing_ledger was left unusable by an earlier internal error; free it and rebuild it from your records"
        ]],
    );
}

#[test]
fn healthy_cell_reads_and_updates() {
    let mut cell = Poisonable::new(1);
    assert_eq!(
        cell.update("x", |value| {
            *value += 1;
            *value
        }),
        Ok(2)
    );
    assert_eq!(cell.read("x"), Ok(&2));
}

#[test]
fn null_handle_is_rejected_for_reading_and_changing() {
    check(
        // SAFETY: NULL is allowed by `handle_ref`'s contract.
        guard(|| unsafe { handle_ref::<Apple>(std::ptr::null(), "engine") }.map(|_| ())),
        expect![["HEALING_ERR_NULL_PARAMETER: parameter `engine` is NULL"]],
    );
    check(
        // SAFETY: NULL is allowed by `handle_mut`'s contract.
        guard(|| unsafe { handle_mut::<Apple>(std::ptr::null_mut(), "ledger") }.map(|_| ())),
        expect![["HEALING_ERR_NULL_PARAMETER: parameter `ledger` is NULL"]],
    );
}

#[test]
fn string_out_parameter_receives_json_the_caller_frees() {
    let mut out: *mut c_char = std::ptr::null_mut();
    let code = guard(|| {
        // SAFETY: `out` is a valid, aligned local.
        let out = unsafe { Out::new(&raw mut out, "out_json") }?;
        out.set_string(&json_text(&[1, 2, 3], "a list")?);
        Ok(())
    });
    check(code, expect![["HEALING_OK: "]]);
    // SAFETY: set to a NUL-terminated string by the call above.
    assert_eq!(unsafe { CStr::from_ptr(out) }, c"[1,2,3]");
    // SAFETY: a live string from healing, freed once.
    let code = unsafe { healing_string_free(out) };
    assert_eq!(code, healing_result::HEALING_OK);
}
