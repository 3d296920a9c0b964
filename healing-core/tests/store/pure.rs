//! Public-API tests of the parts that need no database: the field cipher and the audit
//! chain verifier, including property tests.
