//! Host-side bindings of each supported contract version, generated from the
//! WIT files by wasmtime. A new major version gets a new module beside these;
//! published ones are never regenerated from edited WIT.

/// `healing:plugin@0.1.0` (`plugins/wit/healing-plugin.wit`).
pub(crate) mod v0_1_0 {
    /// The `risk-rule` world.
    pub(crate) mod risk_rule {
        wasmtime::component::bindgen!({
            path: "../wit",
            world: "risk-rule",
        });
    }

    /// The `cbt-tool` world.
    pub(crate) mod cbt_tool {
        wasmtime::component::bindgen!({
            path: "../wit",
            world: "cbt-tool",
        });
    }
}
