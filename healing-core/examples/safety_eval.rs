//! Runs the safety engine over a JSONL file in the dev-set format and writes one
//! prediction a line, for `../shared/safety/score.py`.
//!
//! `cargo run --release -p healing-core --example safety_eval -- IN.jsonl OUT.jsonl`
//!
//! Input lines: `{"id": ..., "text": ...}` (other fields ignored).
//! Output lines: `{"id": ..., "level": ..., "categories": [...]}`.
//! With `--explain`, also prints each id, level and findings to standard error.
//! With `--lexicon-only`, runs the engine without its learned reader (what
//! `tools/safety-train/train.py --cv --lexicon-predictions` takes).

use std::io::{BufRead, BufReader, BufWriter, Write};
use std::process::ExitCode;

use healing_core::safety::{Context, Engine};

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let explain = args.iter().any(|a| a == "--explain");
    let lexicon_only = args.iter().any(|a| a == "--lexicon-only");
    let paths: Vec<&String> = args.iter().filter(|a| !a.starts_with("--")).collect();
    let [input, output] = paths.as_slice() else {
        eprintln!("usage: safety_eval IN.jsonl OUT.jsonl [--explain] [--lexicon-only]");
        return ExitCode::from(2);
    };
    let engine = match Engine::standard() {
        Ok(engine) if lexicon_only => engine.without_classifier(),
        Ok(engine) => engine,
        Err(error) => {
            eprintln!("safety_eval: the built-in engine did not load: {error}");
            return ExitCode::FAILURE;
        }
    };
    match run(&engine, input, output, explain) {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("safety_eval: {message}");
            ExitCode::FAILURE
        }
    }
}

fn run(engine: &Engine, input: &str, output: &str, explain: bool) -> Result<(), String> {
    let reader = BufReader::new(std::fs::File::open(input).map_err(|e| format!("{input}: {e}"))?);
    let mut writer =
        BufWriter::new(std::fs::File::create(output).map_err(|e| format!("{output}: {e}"))?);
    let context = Context::default();
    for (n, line) in reader.lines().enumerate() {
        let line = line.map_err(|e| format!("{input}:{}: {e}", n + 1))?;
        if line.trim().is_empty() {
            continue;
        }
        let row: serde_json::Value =
            serde_json::from_str(&line).map_err(|e| format!("{input}:{}: {e}", n + 1))?;
        let id = row
            .get("id")
            .cloned()
            .ok_or_else(|| format!("{input}:{}: no id", n + 1))?;
        let text = row.get("text").and_then(|t| t.as_str()).unwrap_or("");
        let assessment = engine.assess(text, &context);
        if explain {
            eprintln!(
                "{id} {} {:?} | {text}",
                assessment.level, assessment.categories
            );
            for f in &assessment.findings {
                eprintln!(
                    "    {} {} {:?}: {}",
                    f.rule, f.level, f.categories, f.reason
                );
            }
            for note in &assessment.notes {
                eprintln!("    note: {note}");
            }
        }
        let prediction = serde_json::json!({
            "id": id,
            "level": assessment.level,
            "categories": assessment.categories,
        });
        writeln!(writer, "{prediction}").map_err(|e| format!("{output}: {e}"))?;
    }
    writer.flush().map_err(|e| format!("{output}: {e}"))
}
