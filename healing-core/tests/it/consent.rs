//! Public-API tests of consent.
