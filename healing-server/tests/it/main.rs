//! Integration tests of healing-server, each run on SQLite and PostgreSQL.

mod access_matrix;
mod admin;
mod alert_delivery;
mod alerts;
mod appointments;
mod auth_flows;
mod chat;
mod clinician;
mod community;
mod consent;
mod courses;
mod data_protection;
mod fhir_export;
mod links;
mod messages;
mod notifications;
mod openapi;
mod plugins;
mod processes;
mod registration;
mod robustness;
mod safety_plan;
mod support;
mod tools;
mod web;
mod wellbeing;
