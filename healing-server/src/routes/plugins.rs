//! `/api/admin/plugins`: the installed WebAssembly plugins this server process
//! loaded ([`crate::plugins`]), with each one's status, and re-enabling one the
//! host disabled after repeated failures (admins).
//!
//! The status is per process: each server process loads its own instance of
//! every plugin, counts its failures and disables it on its own. An admin's
//! request reaches one process, so with several behind a load balancer the
//! answer is that process's, and re-enabling reaches that process only.

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use healing_plugins::{LoadedPlugin, PluginStatus};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::error::{ApiError, PathParams, ok, ok_with};
use crate::policy::Caller;
use crate::state::AppState;

/// What kind of plugin it is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum PluginKind {
    /// A risk rule in the safety engine: it screens everything a patient writes.
    RiskRule,
    /// A CBT tool in the tool catalogue.
    CbtTool,
}

/// Whether a plugin is serving calls in this server process.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(tag = "state", rename_all = "snake_case")]
pub enum PluginStatusView {
    /// Serving calls.
    Enabled {
        /// Failures in a row so far (a success resets it; at the host's
        /// threshold the plugin is disabled).
        consecutive_failures: u32,
    },
    /// Refusing calls until an admin enables it again. A disabled risk rule
    /// fails closed: every text screened reads high risk.
    Disabled {
        /// Why, as the host recorded it (the failure count and the last
        /// failure).
        reason: String,
    },
}

impl From<PluginStatus> for PluginStatusView {
    fn from(status: PluginStatus) -> Self {
        match status {
            PluginStatus::Enabled {
                consecutive_failures,
            } => PluginStatusView::Enabled {
                consecutive_failures,
            },
            PluginStatus::Disabled { reason } => PluginStatusView::Disabled { reason },
        }
    }
}

/// One installed plugin.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct PluginView {
    /// Its id (the installed folder's manifest id).
    pub id: String,
    /// The version the operator installed.
    pub version: String,
    /// `risk_rule` or `cbt_tool`.
    pub kind: PluginKind,
    /// The plugin contract it was built for, e.g. `healing:plugin@0.1.0`.
    pub contract: String,
    /// The name it gives itself.
    pub title: String,
    /// Its one-sentence summary, where it has one (CBT tools do, risk rules
    /// do not).
    pub summary: Option<String>,
    /// Whether it serves calls in this server process.
    pub status: PluginStatusView,
}

impl PluginView {
    fn of(plugin: &LoadedPlugin) -> Self {
        let (kind, title, summary) = match plugin {
            LoadedPlugin::RiskRule(rule) => {
                (PluginKind::RiskRule, rule.description().name.clone(), None)
            }
            LoadedPlugin::CbtTool(tool) => (
                PluginKind::CbtTool,
                tool.description().name.clone(),
                Some(tool.description().summary.clone()),
            ),
        };
        Self {
            id: plugin.id().as_str().to_owned(),
            version: plugin.version().to_owned(),
            kind,
            contract: plugin.contract().to_string(),
            title,
            summary,
            status: plugin.status().into(),
        }
    }
}

/// `GET /api/admin/plugins`: the installed plugins of this server process.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct InstalledPluginsView {
    /// The safety rules version every screening is assessed with, naming
    /// each installed risk-rule plugin and its version; `null` when the rules
    /// failed to load and every screening fails closed.
    pub rules_version: Option<String>,
    /// Every installed plugin, in id order; empty when none is installed.
    pub plugins: Vec<PluginView>,
}

/// List the installed plugins (admins): each one's kind, versions and status
/// in the server process that answers, and the rules version in force.
///
/// The status is per process: each server process runs its own instance of
/// every plugin and disables it on its own after repeated failures, so with
/// several processes another may answer differently.
#[utoipa::path(get, path = "/api/admin/plugins", tag = "admin",
    responses((status = 200, description = "The installed plugins of the process that answered", body = InstalledPluginsView)))]
pub async fn list_plugins(State(state): State<AppState>) -> Result<Response, ApiError> {
    Ok(ok(InstalledPluginsView {
        rules_version: state.screener().rules_version().map(str::to_owned),
        plugins: state.plugins().all().iter().map(PluginView::of).collect(),
    }))
}

/// Path of an installed plugin.
#[derive(Debug, Clone, Deserialize)]
pub struct PluginPath {
    /// The plugin's id.
    pub plugin_id: String,
}

/// The answer to enabling a plugin.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct PluginEnabled {
    /// The plugin as it is now.
    pub plugin: PluginView,
    /// Whether it was disabled; `false` means it was already serving calls
    /// and nothing changed.
    pub was_disabled: bool,
}

/// Enable a plugin again (admins) that the host disabled after repeated
/// failures, with its failure count cleared; audited as `plugin_enabled`.
/// A plugin already enabled is left as it is (`was_disabled: false`).
///
/// This reaches only the server process that answers: each process disables
/// and enables its own instance, so with several processes enable it on each
/// one (a restart enables every plugin too).
#[utoipa::path(post, path = "/api/admin/plugins/{plugin_id}/enable", tag = "admin",
    params(("plugin_id" = String, Path, description = "The plugin's id")),
    responses((status = 200, description = "Serving calls in this process", body = PluginEnabled),
        (status = 404, description = "No plugin with this id is installed", body = crate::error::ErrorBody)))]
pub async fn enable_plugin(
    State(state): State<AppState>,
    caller: Caller,
    PathParams(path): PathParams<PluginPath>,
) -> Result<Response, ApiError> {
    let plugin = state
        .plugins()
        .get(&path.plugin_id)
        .ok_or_else(|| ApiError::not_found("installed plugin"))?;
    let was_disabled = if matches!(plugin.status(), PluginStatus::Disabled { .. }) {
        // Audited first: a re-enable that cannot be audited does not happen.
        crate::audit::record(
            &state,
            Some(&caller.user_id),
            "plugin_enabled",
            None,
            serde_json::json!({ "plugin_id": plugin.id().as_str(), "version": plugin.version() }),
        )
        .await?;
        // `false` only if another admin's request enabled it meanwhile.
        plugin.enable()
    } else {
        false
    };
    let message = if was_disabled {
        "enabled again in this server process"
    } else {
        "already enabled in this server process; nothing changed"
    };
    Ok(ok_with(
        StatusCode::OK,
        PluginEnabled {
            plugin: PluginView::of(&plugin),
            was_disabled,
        },
        message,
    ))
}
