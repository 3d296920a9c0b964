//! Public-API tests of safety.
