//! `/api/tools` and `/api/patients/{patient_id}/tools/{tool_id}/runs`: the CBT tools
//! of [`crate::tools`] — the catalogue with each tool's JSON Schemas, a patient's
//! runs (screened, sealed, rewarded) and their history, which a linked clinician
//! may read.

use std::sync::Arc;

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use healing_core::safety::Source;
use healing_store::prelude::*;
use healing_store::{Page, ToolRun};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use utoipa::{IntoParams, ToSchema};

use crate::error::{ApiError, JsonBody, PathParams, QueryParams, ok, ok_with};
use crate::policy::PatientAccess;
use crate::screening::SafetyView;
use crate::state::{AppState, store_error};
use crate::tools::{CbtTool, ToolOrigin};

/// One tool of the catalogue.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct ToolView {
    /// Stable id, used in the runs' URLs.
    pub id: String,
    /// Title to show.
    pub title: String,
    /// What it is for.
    pub description: String,
    /// `built_in` or `plugin`.
    pub origin: String,
    /// JSON Schema of the input (render it as the form).
    #[schema(value_type = Object)]
    pub input_schema: Value,
    /// JSON Schema of the result.
    #[schema(value_type = Object)]
    pub result_schema: Value,
}

impl ToolView {
    fn of(tool: &dyn CbtTool) -> Self {
        Self {
            id: tool.id().to_owned(),
            title: tool.title().to_owned(),
            description: tool.description().to_owned(),
            origin: match tool.origin() {
                ToolOrigin::BuiltIn => "built_in",
                ToolOrigin::Plugin => "plugin",
            }
            .to_owned(),
            input_schema: tool.input_schema(),
            result_schema: tool.result_schema(),
        }
    }
}

/// One run of a tool.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct ToolRunView {
    /// Id.
    pub id: String,
    /// The tool.
    pub tool_id: String,
    /// What the patient entered, as accepted.
    #[schema(value_type = Object)]
    pub input: Value,
    /// The tool's result.
    #[schema(value_type = Object)]
    pub result: Value,
    /// When (RFC 3339).
    pub ran_at: String,
}

impl ToolRunView {
    fn of(run: &ToolRun) -> Result<Self, ApiError> {
        let body: StoredBody = serde_json::from_str(&run.body).map_err(ApiError::internal)?;
        Ok(Self {
            id: run.id.clone(),
            tool_id: run.tool_id.clone(),
            input: body.input,
            result: body.result,
            ran_at: run.ran_at.to_rfc3339(),
        })
    }
}

/// What the store seals for one run.
#[derive(Debug, Serialize, Deserialize)]
struct StoredBody {
    input: Value,
    result: Value,
}

/// A run as stored, with what the app must show about it.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct ToolRunDone {
    /// The stored run.
    pub run: ToolRunView,
    /// The outcome of screening what the patient wrote.
    pub safety: SafetyView,
}

/// `POST …/runs` body.
#[derive(Debug, Clone, Deserialize, ToSchema)]
pub struct NewToolRun {
    /// The input, matching the tool's `input_schema`.
    #[schema(value_type = Object)]
    pub input: Value,
}

/// `GET …/runs` query.
#[derive(Debug, Clone, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct RunsQuery {
    /// Page size (default 20, at most 100).
    pub limit: Option<u32>,
    /// Runs to skip from the newest (default 0).
    pub offset: Option<u32>,
}

fn tool(state: &AppState, tool_id: &str) -> Result<Arc<dyn CbtTool>, ApiError> {
    state
        .tools()
        .get(tool_id)
        .cloned()
        .ok_or_else(|| ApiError::not_found("tool"))
}

/// Every CBT tool, built-in and from plugins, each with its JSON Schemas.
#[utoipa::path(get, path = "/api/tools", tag = "tools",
    responses((status = 200, description = "The catalogue", body = [ToolView])))]
pub async fn list_tools(State(state): State<AppState>) -> Result<Response, ApiError> {
    Ok(ok(state
        .tools()
        .tools()
        .iter()
        .map(|tool| ToolView::of(tool.as_ref()))
        .collect::<Vec<_>>()))
}

/// Use a tool (the patient), built-in or from a plugin alike. Its free text is
/// screened as one text; the run is stored sealed, and the pet rewards it within
/// the daily caps. A plugin that fails, traps or overruns answers 502 for this
/// call (503 while it is disabled after failing repeatedly) and stores nothing.
#[utoipa::path(post, path = "/api/patients/{patient_id}/tools/{tool_id}/runs", tag = "tools", request_body = NewToolRun,
    params(("patient_id" = String, Path, description = "The patient"),
           ("tool_id" = String, Path, description = "The tool")),
    responses((status = 201, description = "Stored and screened", body = ToolRunDone),
              (status = 400, description = "The tool refused the input", body = crate::error::ErrorBody),
              (status = 404, description = "No such tool", body = crate::error::ErrorBody),
              (status = 502, description = "The plugin tool failed (trap, deadline, memory cap, broken output)", body = crate::error::ErrorBody),
              (status = 503, description = "The plugin tool is disabled after failing repeatedly, or busy", body = crate::error::ErrorBody)))]
pub async fn run_tool(
    State(state): State<AppState>,
    access: PatientAccess,
    PathParams((_, tool_id)): PathParams<(String, String)>,
    JsonBody(request): JsonBody<NewToolRun>,
) -> Result<Response, ApiError> {
    let tool = tool(&state, &tool_id)?;
    // A plugin tool runs a WebAssembly instance up to its deadline: on a
    // blocking thread, so the async workers keep serving.
    let running = Arc::clone(&tool);
    let output = tokio::task::spawn_blocking(move || running.run(request.input))
        .await
        .map_err(ApiError::internal)?
        .map_err(|error| error.api_error())?;
    let text = output
        .free_text
        .iter()
        .filter(|text| !text.is_empty())
        .cloned()
        .collect::<Vec<_>>()
        .join("\n");
    // The patient's own private writing, as a journal entry is.
    let screened = state.screener().screen(text, Source::Journal);
    let safety = state.screener().view(screened.outcome());
    let body = serde_json::to_string(&StoredBody {
        input: output.input,
        result: output.result,
    })
    .map_err(ApiError::internal)?;
    let run = state
        .store()
        .add_tool_run(
            &access.patient_id,
            tool.id(),
            &body,
            &screened,
            tool.activity(),
            state.now(),
        )
        .await
        .map_err(store_error)?;
    Ok(ok_with(
        StatusCode::CREATED,
        ToolRunDone {
            run: ToolRunView::of(&run)?,
            safety,
        },
        "saved",
    ))
}

/// The patient's runs of one tool, newest first.
#[utoipa::path(get, path = "/api/patients/{patient_id}/tools/{tool_id}/runs", tag = "tools",
    params(("patient_id" = String, Path, description = "The patient"),
           ("tool_id" = String, Path, description = "The tool"), RunsQuery),
    responses((status = 200, description = "Runs, newest first", body = [ToolRunView]),
              (status = 404, description = "No such tool", body = crate::error::ErrorBody)))]
pub async fn list_runs(
    State(state): State<AppState>,
    access: PatientAccess,
    PathParams((_, tool_id)): PathParams<(String, String)>,
    QueryParams(query): QueryParams<RunsQuery>,
) -> Result<Response, ApiError> {
    let tool = tool(&state, &tool_id)?;
    let page = Page {
        limit: query.limit.unwrap_or(20).clamp(1, 100),
        offset: u64::from(query.offset.unwrap_or(0)),
    };
    let runs = state
        .store()
        .tool_runs(&access.patient_id, tool.id(), page)
        .await
        .map_err(store_error)?;
    Ok(ok(runs
        .iter()
        .map(ToolRunView::of)
        .collect::<Result<Vec<_>, _>>()?))
}
