//! The one place the server screens free text: every free-text write goes through
//! [`Screener::screen`], whose [`Screened`] value is the only thing the store's
//! free-text writes accept, and [`SafetyView`] is what the app is told back.
//!
//! The engine is built once at start-up (deployment rule plugins are added to it
//! there). Screening fails closed: if the engine could not be built or an
//! assessment panics, the text is still stored, the writer is shown the critical
//! crisis resources, and the store raises an alert for a human to read it.

use std::sync::Arc;

use healing_core::safety::{
    Assessment, Category, Context, CrisisDirectory, Engine, Resource, RiskLevel, Source,
};
use healing_store::{Screened, ScreeningOutcome};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// Holds the risk engine and the crisis directory. Cheap to clone.
#[derive(Clone)]
pub struct Screener {
    engine: Option<Arc<Engine>>,
    /// The same rules without the learned reader, for the AI companion's
    /// replies: the learned reader is trained on what people write about
    /// themselves, and reads a supportive reply's words ("I'm sorry", "alone",
    /// "today") as a disclosure; the lexicon's rules read means, methods and
    /// encouragement in any text.
    reply_engine: Option<Arc<Engine>>,
    directory: &'static CrisisDirectory,
}

impl std::fmt::Debug for Screener {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Screener")
            .field("engine", &self.engine.as_ref().map(|e| e.rules_version()))
            .field("region", &self.directory.region)
            .finish()
    }
}

impl Screener {
    /// The built-in rules and the UK crisis directory. If the rules fail to load,
    /// every screening fails closed (and this is logged once, here).
    pub fn standard() -> Self {
        match Engine::standard() {
            Ok(engine) => Self::with_engine(engine),
            Err(error) => {
                tracing::error!(%error, "the safety rules failed to load; every screening fails closed");
                Self::unavailable()
            }
        }
    }

    /// A screener over `engine` (with the deployment's rules added).
    pub fn with_engine(engine: Engine) -> Self {
        Self {
            reply_engine: Some(Arc::new(engine.clone().without_classifier())),
            engine: Some(Arc::new(engine)),
            directory: CrisisDirectory::uk(),
        }
    }

    /// A screener that cannot screen: every text fails closed (tests, and a
    /// failed start-up load).
    pub fn unavailable() -> Self {
        Self {
            engine: None,
            reply_engine: None,
            directory: CrisisDirectory::uk(),
        }
    }

    /// Screens `text` written at `source`. Never fails: without an assessment the
    /// outcome is fail-closed.
    pub fn screen(&self, text: String, source: Source) -> Screened {
        screen_with(self.engine.as_deref(), text, source)
    }

    /// Screens a reply the AI companion wrote (see `reply_engine`). Never
    /// fails: without an assessment the outcome is fail-closed.
    pub fn screen_reply(&self, text: String) -> Screened {
        screen_with(self.reply_engine.as_deref(), text, Source::Chat)
    }

    /// The rules version every screening is assessed with (naming each
    /// installed risk-rule plugin), or `None` when the rules failed to load
    /// and every screening fails closed.
    pub fn rules_version(&self) -> Option<&str> {
        self.engine.as_deref().map(Engine::rules_version)
    }

    /// The crisis directory the screener signposts from.
    pub fn directory(&self) -> &'static CrisisDirectory {
        self.directory
    }

    /// What the app shows the writer for this outcome.
    pub fn view(&self, outcome: &ScreeningOutcome) -> SafetyView {
        match outcome {
            ScreeningOutcome::Assessed {
                level, categories, ..
            } => self.view_of(*level, categories, false),
            ScreeningOutcome::FailedClosed => self.view_of(RiskLevel::Critical, &[], true),
        }
    }

    /// What the app shows for a risk level reached without free text (a
    /// questionnaire's risk item).
    pub fn view_for_level(&self, level: RiskLevel) -> SafetyView {
        self.view_of(level, &[], true)
    }

    fn view_of(&self, level: RiskLevel, categories: &[Category], any_category: bool) -> SafetyView {
        let assessment = Assessment {
            level,
            categories: categories.to_vec(),
            findings: Vec::new(),
            notes: Vec::new(),
            rules_version: String::new(),
        };
        let chosen: Vec<&Resource> = if any_category {
            self.directory.resources_for_level(level)
        } else {
            self.directory.resources_for(&assessment)
        };
        match level {
            RiskLevel::None | RiskLevel::Low => SafetyView {
                level: level.as_str().to_owned(),
                show_crisis_resources: false,
                signpost: None,
                resources: Vec::new(),
            },
            // A gentle signpost, not a crisis screen.
            RiskLevel::Medium => SafetyView {
                level: level.as_str().to_owned(),
                show_crisis_resources: false,
                signpost: chosen.first().map(|resource| {
                    format!(
                        "If things feel hard, you don't have to face it alone: {}, {}.",
                        resource.name, resource.contact
                    )
                }),
                resources: Vec::new(),
            },
            RiskLevel::High | RiskLevel::Critical => SafetyView {
                level: level.as_str().to_owned(),
                show_crisis_resources: true,
                signpost: None,
                resources: chosen.into_iter().map(ResourceView::from).collect(),
            },
        }
    }
}

/// Screens `text` with `engine`, failing closed without one or on a panic.
fn screen_with(engine: Option<&Engine>, text: String, source: Source) -> Screened {
    let Some(engine) = engine else {
        return Screened::failed_closed(text);
    };
    let context = Context {
        source,
        recent_levels: Vec::new(),
    };
    let assessed = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        engine.assess(&text, &context)
    }));
    match assessed {
        Ok(assessment) => Screened::assessed(text, &assessment),
        Err(_) => {
            // No text and no panic message (which might quote it) in the log.
            tracing::error!(?source, "the risk engine panicked; failing closed");
            Screened::failed_closed(text)
        }
    }
}

/// The `safety` object of a response to a write: what the app must show now.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct SafetyView {
    /// `none`, `low`, `medium`, `high` or `critical` (`critical` when screening failed).
    pub level: String,
    /// Whether the app must bring crisis resources on screen now (high and critical).
    pub show_crisis_resources: bool,
    /// A gentle pointer to support, at medium.
    pub signpost: Option<String>,
    /// Crisis resources, most urgent first (high and critical only).
    pub resources: Vec<ResourceView>,
}

/// A crisis resource on the wire.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct ResourceView {
    /// Stable id, e.g. `samaritans`.
    pub id: String,
    /// Name to show.
    pub name: String,
    /// How to reach it.
    pub contact: String,
    /// Who it is for.
    pub description: String,
}

impl From<&Resource> for ResourceView {
    fn from(resource: &Resource) -> Self {
        Self {
            id: resource.id.clone(),
            name: resource.name.clone(),
            contact: resource.contact.clone(),
            description: resource.description.clone(),
        }
    }
}
