//! Public-API tests of mood.
