//! The closed vocabularies the whole program shares: the roles a user can hold, the categories
//! a person can belong to, and the groups of fields the access matrix is written in.
//!
//! Each has a stable snake_case name used in profiles, the database and the command line.

/// A name that is not one of the known values of a vocabulary.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown {what} \"{given}\": expected one of {expected}")]
pub struct UnknownName {
    pub what: &'static str,
    pub given: String,
    pub expected: String,
}

macro_rules! vocabulary {
    ($(#[$meta:meta])* $name:ident, $what:literal, { $($(#[$vmeta:meta])* $variant:ident => $key:literal, $label:literal;)+ }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, ::serde::Serialize, ::serde::Deserialize)]
        #[serde(rename_all = "snake_case")]
        pub enum $name {
            $($(#[$vmeta])* $variant,)+
        }

        impl $name {
            /// Every value, in display order.
            pub const ALL: &'static [$name] = &[$($name::$variant,)+];

            /// The stable snake_case name used in profiles, the database and the CLI.
            pub fn key(self) -> &'static str {
                match self { $($name::$variant => $key,)+ }
            }

            /// A human label for screens and documents.
            pub fn label(self) -> &'static str {
                match self { $($name::$variant => $label,)+ }
            }

            /// Parses the snake_case name (case-insensitive; `-` and spaces read as `_`).
            pub fn parse(s: &str) -> Result<Self, $crate::domain::kinds::UnknownName> {
                let norm: String = s.trim().to_ascii_lowercase().chars()
                    .map(|c| if c == '-' || c == ' ' { '_' } else { c }).collect();
                match norm.as_str() {
                    $($key => Ok($name::$variant),)+
                    _ => Err($crate::domain::kinds::UnknownName {
                        what: $what,
                        given: s.chars().take(40).collect(),
                        expected: [$($key),+].join(", "),
                    }),
                }
            }
        }

        impl ::std::fmt::Display for $name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.write_str(self.label())
            }
        }

        impl ::std::str::FromStr for $name {
            type Err = $crate::domain::kinds::UnknownName;
            fn from_str(s: &str) -> Result<Self, Self::Err> { Self::parse(s) }
        }
    };
}

/// The vocabulary macro, for the other closed vocabularies of the domain.
pub(crate) use vocabulary;

vocabulary!(
    /// The role a user of dutydesk holds. Roles decide what a user may see (the access matrix
    /// comes from the organisation profile) and what they may do.
    Role, "role", {
        DutyOfficer => "duty_officer", "Duty officer";
        SectionLeader => "section_leader", "Section leader";
        Trustee => "trustee", "Trustee";
        MembershipSecretary => "membership_secretary", "Membership secretary";
        DbsOfficer => "dbs_officer", "DBS officer";
        DataProtectionLead => "data_protection_lead", "Data protection lead";
    }
);

vocabulary!(
    /// Why a legal hold keeps a person's data past its retention period and refuses its
    /// erasure (Article 17(3)(b) and (e): a legal obligation, legal claims).
    HoldKind, "legal hold reason", {
        LegalClaim => "legal_claim", "Legal claim";
        InsuranceClaim => "insurance_claim", "Insurance claim";
        LegalObligation => "legal_obligation", "Legal obligation to keep it";
        Regulator => "regulator", "Regulator's inquiry";
    }
);

vocabulary!(
    /// Why passing someone's details on was lawful: their permission, or one of the
    /// exceptional circumstances the notices name ("anyone reporting serious self-harm or
    /// posing a threat to others or children").
    DisclosureGround, "disclosure ground", {
        Permission => "permission", "Their permission";
        SafeguardingChild => "safeguarding_child", "Safeguarding a child";
        SafeguardingAdult => "safeguarding_adult", "Safeguarding an adult at risk";
        SeriousSelfHarm => "serious_self_harm", "Serious self-harm";
        ThreatToOthers => "threat_to_others", "A threat to others";
        LegalObligation => "legal_obligation", "A legal obligation";
        CourtOrder => "court_order", "A court order";
        VitalInterests => "vital_interests", "Vital interests (a life at risk)";
    }
);

vocabulary!(
    /// For a disclosure without permission: whether the person was supported to share it
    /// themselves first ("wherever possible"), told, or (only where telling them would put
    /// someone at risk) not told.
    PersonInformed, "whether they were told", {
        SupportedFirst => "supported_first", "Supported to share it themselves first";
        ToldBefore => "told_before", "Told before it was passed on";
        ToldAfter => "told_after", "Told after it was passed on";
        NotTold => "not_told", "Not told: it would put someone at risk";
    }
);

vocabulary!(
    /// Where a service stands: asked for (by the client, or in a referral), arranged with a
    /// volunteer, done, or called off.
    ServiceStatus, "service status", {
        Requested => "requested", "Requested";
        Arranged => "arranged", "Arranged";
        Done => "done", "Done";
        Cancelled => "cancelled", "Cancelled";
    }
);

vocabulary!(
    /// The level of a DBS check.
    DbsLevel, "DBS level", {
        Basic => "basic", "Basic";
        Standard => "standard", "Standard";
        Enhanced => "enhanced", "Enhanced";
        EnhancedBarred => "enhanced_barred", "Enhanced with barred list";
    }
);

vocabulary!(
    /// What a DBS certificate showed, and for information disclosed the officer's decision on
    /// suitability, as the DBS officer records it (never its content).
    DbsOutcome, "DBS outcome", {
        Clear => "clear", "Clear";
        DisclosedSuitable => "disclosed_suitable", "Information disclosed: suitable";
        DisclosedNotSuitable => "disclosed_not_suitable", "Information disclosed: not suitable";
    }
);

vocabulary!(
    /// A category of person named in the privacy notice. A person can hold several. The
    /// labels are defaults: a profile names its categories in its own words (`label`).
    Category, "category", {
        Client => "client", "Client";
        Volunteer => "volunteer", "Volunteer";
        Relative => "relative", "Relative or next of kin";
        Professional => "professional", "Professional";
        /// A supporter or donor ("Friend" of a Good Neighbours scheme).
        Friend => "friend", "Supporter";
        ThirdParty => "third_party", "Third party";
        Referee => "referee", "Referee";
        EmergencyContact => "emergency_contact", "Emergency contact";
        /// Someone who asked about the charity's work or support without (yet) using it.
        Enquirer => "enquirer", "Enquirer";
        /// A volunteer who runs one of the charity's groups.
        GroupLeader => "group_leader", "Group leader";
    }
);

vocabulary!(
    /// A group of fields the access matrix is written in: a role sees a person's field group
    /// when one of the person's categories collects it and lists the role as a recipient.
    FieldGroup, "field group", {
        /// Title, names and aliases.
        Name => "name", "Name";
        /// Postal address and postcode.
        Address => "address", "Address";
        /// Phone numbers.
        Phone => "phone", "Phone numbers";
        Email => "email", "Email address";
        DateOfBirth => "date_of_birth", "Date of birth";
        /// The organisation a professional or third party works for.
        Organisation => "organisation", "Organisation";
        /// Contact log, callbacks, notes and letters.
        Correspondence => "correspondence", "Correspondence";
        /// Services received or provided.
        Services => "services", "Services";
        /// References given for a volunteer.
        References => "references", "References";
        /// Relevant mobility and health issues: special category data (Article 9).
        Health => "health", "Health (special category)";
        /// DBS checks: criminal offence data (Article 10).
        CriminalOffence => "criminal_offence", "Criminal record checks (criminal offence data)";
    }
);

vocabulary!(
    /// The bank-holiday region whose calendar decides working days.
    Region, "bank-holiday region", {
        EnglandAndWales => "england_and_wales", "England and Wales";
        Scotland => "scotland", "Scotland";
        NorthernIreland => "northern_ireland", "Northern Ireland";
    }
);

vocabulary!(
    /// A link between two people. The first person is the client or volunteer the link is
    /// about; the second is their relative, contact, referee, volunteer or worker.
    RelationKind, "relationship", {
        Relative => "relative", "Relative";
        NextOfKin => "next_of_kin", "Next of kin";
        EmergencyContact => "emergency_contact", "Emergency contact";
        Referee => "referee", "Referee";
        AssignedVolunteer => "assigned_volunteer", "Assigned volunteer";
        Professional => "professional", "Social/healthcare worker";
    }
);

impl RelationKind {
    /// How the link reads from the second person's side ("Relative of").
    pub fn inverse_label(self) -> &'static str {
        match self {
            RelationKind::Relative => "Relative of",
            RelationKind::NextOfKin => "Next of kin of",
            RelationKind::EmergencyContact => "Emergency contact for",
            RelationKind::Referee => "Referee for",
            RelationKind::AssignedVolunteer => "Volunteer for",
            RelationKind::Professional => "Worker for",
        }
    }

    /// The category the second person holds because of the link.
    pub fn other_category(self) -> Category {
        match self {
            RelationKind::Relative | RelationKind::NextOfKin => Category::Relative,
            RelationKind::EmergencyContact => Category::EmergencyContact,
            RelationKind::Referee => Category::Referee,
            RelationKind::AssignedVolunteer => Category::Volunteer,
            RelationKind::Professional => Category::Professional,
        }
    }
}

vocabulary!(
    /// How a contact with a person happened.
    ContactKind, "contact kind", {
        Call => "call", "Call";
        Email => "email", "Email";
        Letter => "letter", "Letter";
        Visit => "visit", "Visit";
    }
);

impl FieldGroup {
    /// Whether this group is special category or criminal offence data, whose every view is
    /// audited.
    pub fn is_sensitive(self) -> bool {
        matches!(self, FieldGroup::Health | FieldGroup::CriminalOffence)
    }
}

vocabulary!(
    /// How an enquiry reached the charity.
    EnquiryChannel, "enquiry channel", {
        Phone => "phone", "Phone";
        Email => "email", "Email";
        SocialMedia => "social_media", "Social media";
        Letter => "letter", "Letter";
        InPerson => "in_person", "In person";
    }
);

vocabulary!(
    /// Where a support group meets.
    GroupFormat, "group format", {
        FaceToFace => "face_to_face", "Face to face";
        Online => "online", "Online";
    }
);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_name_round_trips() {
        for r in Role::ALL {
            assert_eq!(Role::parse(r.key()).unwrap(), *r);
        }
        for c in Category::ALL {
            assert_eq!(Category::parse(c.key()).unwrap(), *c);
        }
        for g in FieldGroup::ALL {
            assert_eq!(FieldGroup::parse(g.key()).unwrap(), *g);
        }
    }

    #[test]
    fn parse_is_forgiving_about_case_and_separators() {
        assert_eq!(Role::parse("DBS-Officer").unwrap(), Role::DbsOfficer);
        assert_eq!(
            Category::parse(" emergency contact ").unwrap(),
            Category::EmergencyContact
        );
    }

    #[test]
    fn unknown_names_say_what_is_expected() {
        let e = Role::parse("admin").unwrap_err();
        let msg = e.to_string();
        assert!(msg.contains("unknown role \"admin\""), "{msg}");
        assert!(msg.contains("data_protection_lead"), "{msg}");
    }
}
