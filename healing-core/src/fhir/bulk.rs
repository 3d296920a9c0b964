//! FHIR Bulk Data Access output: one NDJSON stream per resource type and the
//! JSON manifest that lists them, written in constant memory.

use std::io::Write;

use fhir_sdk::r4b::resources::{Resource, ResourceType};
use serde::{Deserialize, Serialize};

use super::Error;
use crate::timestamp::Timestamp;

/// The resource types this crate exports, each with its own NDJSON file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum ResourceKind {
    /// `Patient`.
    Patient,
    /// `Questionnaire`.
    Questionnaire,
    /// `QuestionnaireResponse`.
    QuestionnaireResponse,
    /// `Observation`.
    Observation,
    /// `Consent`.
    Consent,
    /// `RiskAssessment`.
    RiskAssessment,
    /// `Flag`.
    Flag,
    /// `Provenance`.
    Provenance,
}

impl ResourceKind {
    /// Every kind, in the order manifests list them.
    pub const ALL: [ResourceKind; 8] = [
        Self::Patient,
        Self::Questionnaire,
        Self::QuestionnaireResponse,
        Self::Observation,
        Self::Consent,
        Self::RiskAssessment,
        Self::Flag,
        Self::Provenance,
    ];

    /// The FHIR resource type name, e.g. `QuestionnaireResponse`.
    pub fn resource_type(self) -> &'static str {
        match self {
            Self::Patient => "Patient",
            Self::Questionnaire => "Questionnaire",
            Self::QuestionnaireResponse => "QuestionnaireResponse",
            Self::Observation => "Observation",
            Self::Consent => "Consent",
            Self::RiskAssessment => "RiskAssessment",
            Self::Flag => "Flag",
            Self::Provenance => "Provenance",
        }
    }

    /// The NDJSON file name the Bulk Data convention uses, e.g. `Patient.ndjson`.
    pub fn file_name(self) -> &'static str {
        match self {
            Self::Patient => "Patient.ndjson",
            Self::Questionnaire => "Questionnaire.ndjson",
            Self::QuestionnaireResponse => "QuestionnaireResponse.ndjson",
            Self::Observation => "Observation.ndjson",
            Self::Consent => "Consent.ndjson",
            Self::RiskAssessment => "RiskAssessment.ndjson",
            Self::Flag => "Flag.ndjson",
            Self::Provenance => "Provenance.ndjson",
        }
    }

    /// The kind of `resource`, or `None` for a type this crate does not export.
    pub fn of(resource: &Resource) -> Option<Self> {
        match resource.resource_type() {
            ResourceType::Patient => Some(Self::Patient),
            ResourceType::Questionnaire => Some(Self::Questionnaire),
            ResourceType::QuestionnaireResponse => Some(Self::QuestionnaireResponse),
            ResourceType::Observation => Some(Self::Observation),
            ResourceType::Consent => Some(Self::Consent),
            ResourceType::RiskAssessment => Some(Self::RiskAssessment),
            ResourceType::Flag => Some(Self::Flag),
            ResourceType::Provenance => Some(Self::Provenance),
            _ => None,
        }
    }

    /// The kind's slot in [`BulkExport`]'s counters: always below 8, the
    /// length of [`ResourceKind::ALL`] and of the counter array, so indexing
    /// the counters with it cannot panic.
    fn index(self) -> usize {
        match self {
            Self::Patient => 0,
            Self::Questionnaire => 1,
            Self::QuestionnaireResponse => 2,
            Self::Observation => 3,
            Self::Consent => 4,
            Self::RiskAssessment => 5,
            Self::Flag => 6,
            Self::Provenance => 7,
        }
    }
}

/// Where the NDJSON lines go: one writer per resource kind, supplied by the
/// caller (files, an object store upload, a socket, `std::io::sink()`).
/// healing-core opens nothing itself.
pub trait NdjsonSinks {
    /// The writer for `kind`'s NDJSON stream. Called once per resource written,
    /// so an implementation can open the file lazily on first use.
    fn sink(&mut self, kind: ResourceKind) -> std::io::Result<&mut dyn Write>;
}

/// Writes resources as NDJSON, one line each, to the caller's sinks and counts
/// them for the manifest. Memory use does not grow with the export: one line
/// buffer, reused, and eight counters.
#[derive(Debug)]
pub struct BulkExport<S> {
    sinks: S,
    counts: [u64; 8],
    line: Vec<u8>,
}

impl<S: NdjsonSinks> BulkExport<S> {
    /// An export writing to `sinks`.
    pub fn new(sinks: S) -> Self {
        Self {
            sinks,
            counts: [0; 8],
            line: Vec::with_capacity(4096),
        }
    }

    /// Writes `resource` as one line of its kind's NDJSON stream.
    pub fn write(&mut self, resource: &Resource) -> Result<(), Error> {
        let resource_type = resource.resource_type().as_str();
        let kind =
            ResourceKind::of(resource).ok_or(Error::UnsupportedResourceType { resource_type })?;
        self.line.clear();
        serde_json::to_writer(&mut self.line, resource).map_err(|error| Error::Json {
            message: error.to_string(),
        })?;
        // Compact JSON escapes every newline inside strings, so this is the only one.
        self.line.push(b'\n');
        let io_error = |error: std::io::Error| Error::Io {
            resource_type,
            message: error.to_string(),
        };
        self.sinks
            .sink(kind)
            .and_then(|sink| sink.write_all(&self.line))
            .map_err(io_error)?;
        self.counts[kind.index()] += 1;
        Ok(())
    }

    /// How many resources of `kind` have been written.
    pub fn count(&self, kind: ResourceKind) -> u64 {
        self.counts[kind.index()]
    }

    /// Flushes every sink that was written to, and returns the sinks with the
    /// manifest listing each non-empty file as `<output_base_url>/<Type>.ndjson`.
    ///
    /// `transaction_time` is when the exported data was read (the Bulk Data
    /// `transactionTime`); `request` is the kick-off URL the export answers.
    pub fn finish(
        mut self,
        transaction_time: Timestamp,
        request: &str,
        output_base_url: &str,
    ) -> Result<(S, BulkManifest), Error> {
        let base = output_base_url.trim_end_matches('/');
        let mut output = Vec::new();
        for kind in ResourceKind::ALL {
            let count = self.counts[kind.index()];
            if count == 0 {
                continue;
            }
            self.sinks
                .sink(kind)
                .and_then(|sink| sink.flush())
                .map_err(|error| Error::Io {
                    resource_type: kind.resource_type(),
                    message: error.to_string(),
                })?;
            output.push(BulkOutput {
                resource_type: kind.resource_type().to_owned(),
                url: format!("{base}/{}", kind.file_name()),
                count,
            });
        }
        let manifest = BulkManifest {
            transaction_time: transaction_time.to_rfc3339(),
            request: request.to_owned(),
            requires_access_token: true,
            output,
            error: Vec::new(),
        };
        Ok((self.sinks, manifest))
    }
}

/// The Bulk Data Access complete-status manifest (FHIR Bulk Data Access IG
/// 2.0.0, "Response - Complete Status").
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct BulkManifest {
    /// When the exported data was read, as an RFC 3339 instant.
    pub transaction_time: String,
    /// The kick-off request URL this export answers.
    pub request: String,
    /// Whether fetching the files needs the bearer token of the kick-off
    /// request. Always `true`: these are patient records.
    pub requires_access_token: bool,
    /// One entry per non-empty NDJSON file.
    pub output: Vec<BulkOutput>,
    /// OperationOutcome files for resources that failed; always empty, since a
    /// failed write stops the export with an error instead.
    pub error: Vec<BulkOutput>,
}

/// One NDJSON file of a Bulk Data export.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BulkOutput {
    /// The resource type in the file.
    #[serde(rename = "type")]
    pub resource_type: String,
    /// Where the file can be fetched.
    pub url: String,
    /// How many resources (lines) the file holds.
    pub count: u64,
}
