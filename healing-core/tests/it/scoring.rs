//! Public-API tests of scoring.
