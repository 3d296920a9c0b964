//! Public-API tests of pet.
