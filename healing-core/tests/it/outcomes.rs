//! Public-API tests of outcomes.
