//! Stable names of the enums that cross a wire (JSON, SQL columns, the C and
//! Python APIs): each has `as_str()`, its serde name, and `FromStr`, so the
//! bindings, the server and the store turn an enum into its name and back
//! without a JSON round-trip.

/// A name that is none of an enum's wire names.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{name:?} is not a known {type_name}")]
pub struct UnknownName {
    /// The enum asked for, e.g. `"Purpose"`.
    pub type_name: &'static str,
    /// The name given (cut to 64 characters, so a hostile name cannot bloat logs).
    pub name: String,
}

impl UnknownName {
    pub(crate) fn new(type_name: &'static str, name: &str) -> Self {
        Self {
            type_name,
            name: name.chars().take(64).collect(),
        }
    }
}

/// Gives a unit-only enum `as_str(&self)` (skipped with `from_str only`, for an
/// enum that already has a hand-written `as_str`) and `FromStr`, from one list
/// of `Variant => "serde_name"` pairs. The list must name every variant: in
/// tests it also builds `VARIANTS` and an exhaustive `match`, so a variant left
/// out is a compile error there.
macro_rules! wire_names {
    ($type:ident { $($variant:ident => $name:literal),+ $(,)? }) => {
        impl $type {
            /// The stable name, the same as its serde form.
            pub const fn as_str(&self) -> &'static str {
                match self {
                    $(Self::$variant => $name,)+
                }
            }
        }
        $crate::wire_name::wire_names!(from_str only $type { $($variant => $name),+ });
    };
    (from_str only $type:ident { $($variant:ident => $name:literal),+ $(,)? }) => {
        impl ::core::str::FromStr for $type {
            type Err = $crate::wire_name::UnknownName;

            fn from_str(name: &str) -> Result<Self, Self::Err> {
                match name {
                    $($name => Ok(Self::$variant),)+
                    _ => Err($crate::wire_name::UnknownName::new(stringify!($type), name)),
                }
            }
        }

        #[cfg(test)]
        impl $type {
            /// Every variant, for the wire-name tests.
            pub(crate) const VARIANTS: &'static [Self] = &[$(Self::$variant),+];

            /// Fails to compile if the list above leaves a variant out.
            #[allow(dead_code, reason = "compiled only for its exhaustive match")]
            const fn names_every_variant(self) {
                match self {
                    $(Self::$variant => {})+
                }
            }
        }
    };
}
pub(crate) use wire_names;

#[cfg(test)]
mod tests;
