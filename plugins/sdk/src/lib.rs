//! Write Healing plugins as plain Rust functions.
//!
//! A plugin author implements one trait, [`risk::RiskRule`] or
//! [`tool::CbtTool`], and calls one macro, [`risk_rule!`] or [`cbt_tool!`]. The
//! macro generates the WebAssembly component exports for the
//! `healing:plugin@0.1.0` contract (`plugins/wit/healing-plugin.wit`) and calls
//! the author's functions by name, so a backtrace names them. The same
//! functions are ordinary Rust, so native `cargo test` exercises them; the
//! checks in [`risk::check_findings`] and [`tool::check_output`] apply the
//! rules the host applies, so a test catches a bad span or an undeclared
//! category before the plugin is installed.
//!
//! ```
//! use healing_plugin_sdk::risk::{
//!     Category, Context, Finding, PluginError, RiskLevel, RiskRule, RuleDescription, Span,
//! };
//!
//! struct MyRule;
//!
//! impl RiskRule for MyRule {
//!     fn describe() -> RuleDescription {
//!         RuleDescription {
//!             name: "My rule".to_owned(),
//!             version: "0.1.0".to_owned(),
//!             categories: vec![Category::SelfHarm],
//!         }
//!     }
//!
//!     fn assess(text: &str, _context: &Context) -> Result<Vec<Finding>, PluginError> {
//!         Ok(text
//!             .match_indices("cat scratches")
//!             .map(|(start, term)| Finding {
//!                 rule: "cat_scratches".to_owned(),
//!                 span: Span::from_range(start..start + term.len()),
//!                 level: RiskLevel::Medium,
//!                 categories: vec![Category::SelfHarm],
//!                 reason: "local term".to_owned(),
//!             })
//!             .collect())
//!     }
//! }
//!
//! healing_plugin_sdk::risk_rule!(MyRule);
//!
//! let findings =
//!     healing_plugin_sdk::risk::check_findings::<MyRule>("cat scratches", &Context::unknown());
//! assert_eq!(findings.unwrap().len(), 1);
//! ```
//!
//! Build with `cargo build --release --target wasm32-wasip2`; see
//! `plugins/README.md`.

pub mod risk;
pub mod tool;

/// The contract version this SDK builds plugins for.
pub const CONTRACT_VERSION: &str = "0.1.0";

/// Generated bindings of the `risk-rule` world. Use [`risk`] instead; this is
/// public only so the [`risk_rule!`] macro can reach it from the plugin crate.
#[doc(hidden)]
pub mod risk_bindings {
    wit_bindgen::generate!({
        path: "../wit",
        world: "risk-rule",
        pub_export_macro: true,
        export_macro_name: "export_risk_rule",
        default_bindings_module: "healing_plugin_sdk::risk_bindings",
    });
}

/// Generated bindings of the `cbt-tool` world. Use [`tool`] instead; this is
/// public only so the [`cbt_tool!`] macro can reach it from the plugin crate.
#[doc(hidden)]
pub mod tool_bindings {
    wit_bindgen::generate!({
        path: "../wit",
        world: "cbt-tool",
        pub_export_macro: true,
        export_macro_name: "export_cbt_tool",
        default_bindings_module: "healing_plugin_sdk::tool_bindings",
    });
}

/// Exports a type implementing [`risk::RiskRule`] as the plugin's `risk-rule`
/// world. Call it once, at the crate root of a `cdylib` crate.
#[macro_export]
macro_rules! risk_rule {
    ($rule:ty) => {
        const _: () = {
            struct HealingRiskRuleExports;

            impl $crate::risk_bindings::exports::healing::plugin::rule::Guest
                for HealingRiskRuleExports
            {
                fn describe() -> $crate::risk::RuleDescription {
                    <$rule as $crate::risk::RiskRule>::describe()
                }

                fn assess(
                    text: ::std::string::String,
                    context: $crate::risk::Context,
                ) -> ::std::result::Result<
                    ::std::vec::Vec<$crate::risk::Finding>,
                    $crate::risk::PluginError,
                > {
                    <$rule as $crate::risk::RiskRule>::assess(&text, &context)
                }
            }

            $crate::risk_bindings::export_risk_rule!(
                HealingRiskRuleExports with_types_in $crate::risk_bindings
            );
        };
    };
}

/// Exports a type implementing [`tool::CbtTool`] as the plugin's `cbt-tool`
/// world. Call it once, at the crate root of a `cdylib` crate.
#[macro_export]
macro_rules! cbt_tool {
    ($tool:ty) => {
        const _: () = {
            struct HealingCbtToolExports;

            impl $crate::tool_bindings::exports::healing::plugin::tool::Guest
                for HealingCbtToolExports
            {
                fn describe() -> $crate::tool::ToolDescription {
                    <$tool as $crate::tool::CbtTool>::describe()
                }

                fn run(
                    input_json: ::std::string::String,
                ) -> ::std::result::Result<$crate::tool::ToolOutput, $crate::tool::PluginError>
                {
                    <$tool as $crate::tool::CbtTool>::run(&input_json)
                }
            }

            $crate::tool_bindings::export_cbt_tool!(
                HealingCbtToolExports with_types_in $crate::tool_bindings
            );
        };
    };
}
