//! The CBT tool catalogue: every tool the server offers, behind one trait
//! ([`CbtTool`]) in one list ([`Catalogue`]). The built-in tools are in [`builtin`];
//! each installed CBT tool plugin joins the same list at start-up as a
//! [`crate::plugins::PluginTool`] (an adapter over the plugin host's tool call, with
//! [`ToolOrigin::Plugin`]), so `GET /api/tools`, runs, screening, storage and the
//! pet's reward treat both alike. The routes are in [`crate::routes::tools`].

pub mod builtin;

use std::sync::Arc;

use healing_core::pet::WellbeingActivity;
use serde::Serialize;
use serde_json::Value;
use utoipa::ToSchema;

use crate::error::ApiError;
use crate::plugins::PluginToolError;

/// Where a tool comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ToolOrigin {
    /// Built into the server.
    BuiltIn,
    /// From an installed plugin.
    Plugin,
}

/// What one run of a tool produced.
#[derive(Debug, Clone, PartialEq)]
pub struct ToolOutput {
    /// The input as accepted (trimmed and checked), to store.
    pub input: Value,
    /// The tool's result, matching its result schema.
    pub result: Value,
    /// Every free-text field the patient wrote, to screen as one text.
    pub free_text: Vec<String>,
}

/// Why a run was refused: the message names fields, never their text.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct ToolInputError(pub String);

/// Why a run produced nothing to store.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ToolRunError {
    /// The input does not fit the tool (a built-in tool's checks, a plugin's
    /// input schema, or a plugin declining it): the caller's to fix.
    #[error(transparent)]
    Input(#[from] ToolInputError),
    /// A plugin tool failed or is unavailable for this call; the server and
    /// every other call are unaffected.
    #[error(transparent)]
    Plugin(#[from] PluginToolError),
}

impl ToolRunError {
    /// The answer for the runs route: 400 `VALIDATION_FAILED` for input the
    /// tool refused, whichever tool it is; a plugin's failure as
    /// [`PluginToolError::api_error`] decides.
    pub fn api_error(&self) -> ApiError {
        match self {
            ToolRunError::Input(error) => ApiError::validation(error.to_string()),
            ToolRunError::Plugin(error) => error.api_error(),
        }
    }
}

/// [`Catalogue::add`] refused a tool: its id is already taken.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("a tool with id {0:?} is already in the catalogue")]
pub struct ToolIdTaken(pub String);

/// One CBT tool. Built-in and plugin tools implement it alike.
pub trait CbtTool: Send + Sync {
    /// Stable id used in URLs, for example `thought_record`.
    fn id(&self) -> &str;
    /// Title to show.
    fn title(&self) -> &str;
    /// What it is for, one or two sentences.
    fn description(&self) -> &str;
    /// Where it comes from.
    fn origin(&self) -> ToolOrigin;
    /// JSON Schema of the input the web app renders as a form. An object may list
    /// its fields' order in `x-order` (the server's JSON sorts keys; the form
    /// otherwise asks the required fields first).
    fn input_schema(&self) -> Value;
    /// JSON Schema of the result.
    fn result_schema(&self) -> Value;
    /// The pet activity a run counts as, if any.
    fn activity(&self) -> Option<WellbeingActivity>;
    /// Checks `input` and computes the result. It may block (a plugin runs a
    /// WebAssembly instance up to its deadline), so the route calls it on a
    /// blocking thread.
    fn run(&self, input: Value) -> Result<ToolOutput, ToolRunError>;
}

/// Every tool on offer. Cheap to clone.
#[derive(Clone)]
pub struct Catalogue {
    tools: Vec<Arc<dyn CbtTool>>,
}

impl std::fmt::Debug for Catalogue {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_list()
            .entries(self.tools.iter().map(|tool| tool.id().to_owned()))
            .finish()
    }
}

impl Catalogue {
    /// The built-in tools.
    pub fn built_in() -> Self {
        Self {
            tools: builtin::all(),
        }
    }

    /// Adds a tool (a plugin's); refused when its id is already taken.
    pub fn add(&mut self, tool: Arc<dyn CbtTool>) -> Result<(), ToolIdTaken> {
        if self.get(tool.id()).is_some() {
            return Err(ToolIdTaken(tool.id().to_owned()));
        }
        self.tools.push(tool);
        Ok(())
    }

    /// Every tool, built-in first.
    pub fn tools(&self) -> &[Arc<dyn CbtTool>] {
        &self.tools
    }

    /// The tool with this id.
    pub fn get(&self, id: &str) -> Option<&Arc<dyn CbtTool>> {
        self.tools.iter().find(|tool| tool.id() == id)
    }
}
