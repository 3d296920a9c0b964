//! `Bundle`s: a `collection` to hand over as one document, or a `transaction` to
//! load into a FHIR server in one all-or-nothing request.

use fhir_sdk::r4b::codes::{BundleType, HTTPVerb};
use fhir_sdk::r4b::resources::{Bundle, BundleEntry, BundleEntryRequest, Resource};
use serde::{Deserialize, Serialize};

use super::Error;
use super::codes::CANONICAL_BASE;
use super::model::{instant, model};
use crate::timestamp::Timestamp;

/// Which kind of `Bundle` to build.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum BundleKind {
    /// `collection`: a set of resources with no processing asked for.
    Collection,
    /// `transaction`: each entry is an idempotent `PUT Type/id`, so loading the
    /// same export twice updates rather than duplicates.
    Transaction,
}

crate::wire_name::wire_names!(BundleKind {
    Collection => "collection",
    Transaction => "transaction",
});

/// A `Bundle` of `resources`, in the order given, stamped with `timestamp`.
///
/// Each entry's `fullUrl` is `https://healing.example/fhir/<Type>/<id>` (see
/// [`CANONICAL_BASE`]), matching the relative references between the resources.
/// Every resource must have an id ([`Error::ResourceWithoutId`] otherwise).
pub fn bundle(
    kind: BundleKind,
    bundle_id: &str,
    timestamp: Timestamp,
    resources: Vec<Resource>,
) -> Result<Bundle, Error> {
    let mut entries = Vec::with_capacity(resources.len());
    for resource in resources {
        let resource_type = resource.resource_type().as_str();
        let id = resource
            .as_base_resource()
            .id()
            .clone()
            .ok_or(Error::ResourceWithoutId { resource_type })?;
        let mut entry = BundleEntry::builder()
            .full_url(format!("{CANONICAL_BASE}/{resource_type}/{id}"))
            .resource(resource);
        if kind == BundleKind::Transaction {
            entry = entry.request(model(
                "Bundle.entry.request",
                BundleEntryRequest::builder()
                    .method(HTTPVerb::Put)
                    .url(format!("{resource_type}/{id}"))
                    .build(),
            )?);
        }
        entries.push(Some(model("Bundle.entry", entry.build())?));
    }
    let bundle_type = match kind {
        BundleKind::Collection => BundleType::Collection,
        BundleKind::Transaction => BundleType::Transaction,
    };
    model(
        "Bundle",
        Bundle::builder()
            .id(bundle_id.to_owned())
            .r#type(bundle_type)
            .timestamp(instant(timestamp))
            .entry(entries)
            .build(),
    )
}
