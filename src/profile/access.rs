//! The access matrix: which role may see which field groups of a person, derived from the
//! profile's categories and its health and criminal-offence role lists.
//!
//! A role sees a field group of a person when one of the person's categories collects that
//! group and lists the role as a recipient (fully, or as a limited recipient of that group).
//! Health is further limited to `[special_category].roles`, DBS checks to
//! `[criminal_offence].roles`.
//!
//! The data protection lead answers rights requests, and its access is defined here, once:
//! it sees every person (restricted ones included, [`AccessMatrix::sees_restricted`]), always
//! their name, and every field group their categories collect except the sensitive ones the
//! profile keeps from it; it may file and change anyone ([`AccessMatrix::answers_rights`]).
//! Anything more (health, DBS checks) it must get as a recipient in the profile, or through
//! the store's separately audited rights-request path.

use super::Profile;
use crate::domain::{Category, FieldGroup, Role};

const ROLES: usize = Role::ALL.len();
const CATEGORIES: usize = Category::ALL.len();

/// A set of field groups, one bit per [`FieldGroup`] in declaration order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
struct Groups(u32);

impl Groups {
    fn bit(group: FieldGroup) -> u32 {
        1 << (group as u32)
    }

    fn with(self, group: FieldGroup) -> Self {
        Groups(self.0 | Self::bit(group))
    }

    fn without(self, group: FieldGroup) -> Self {
        Groups(self.0 & !Self::bit(group))
    }

    fn has(self, group: FieldGroup) -> bool {
        self.0 & Self::bit(group) != 0
    }

    fn union(self, other: Groups) -> Self {
        Groups(self.0 | other.0)
    }
}

/// Who may see what, derived once from a [`Profile`]; lookups are table reads.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AccessMatrix {
    /// `grants[category][role]`: the groups `role` sees of a person in `category`, with the
    /// health and criminal-offence limits already applied. Categories the profile does not
    /// define grant nothing.
    grants: [[Groups; ROLES]; CATEGORIES],
    /// `collected[category]`: the non-sensitive groups the category collects, which the role
    /// that answers rights requests sees of anyone (see the module documentation).
    collected: [Groups; CATEGORIES],
}

impl AccessMatrix {
    /// Derives the matrix from a profile.
    pub fn new(profile: &Profile) -> Self {
        let mut grants = [[Groups::default(); ROLES]; CATEGORIES];
        let mut collected = [Groups::default(); CATEGORIES];
        for rule in &profile.categories {
            collected[rule.key as usize] = rule
                .fields
                .iter()
                .filter(|g| !g.is_sensitive())
                .fold(Groups::default(), |acc, g| acc.with(*g));
            for &role in Role::ALL {
                let mut groups = rule.fields_for(role).into_iter().fold(Groups::default(), Groups::with);
                if !profile.special_category.roles.contains(&role) {
                    groups = groups.without(FieldGroup::Health);
                }
                if !profile.criminal_offence.roles.contains(&role) {
                    groups = groups.without(FieldGroup::CriminalOffence);
                }
                grants[rule.key as usize][role as usize] = groups;
            }
        }
        AccessMatrix { grants, collected }
    }

    fn groups(&self, role: Role, categories: &[Category]) -> Groups {
        let mut groups = categories
            .iter()
            .map(|&c| self.grants[c as usize][role as usize])
            .fold(Groups::default(), Groups::union);
        if Self::answers_rights(role) {
            groups = groups.with(FieldGroup::Name);
        }
        groups
    }

    /// Whether `role` answers rights requests (the data protection lead): it may find, file
    /// and change anyone, and sees the queues only it works (Article 19 tasks, the before and
    /// after of a rectification).
    pub fn answers_rights(role: Role) -> bool {
        role == Role::DataProtectionLead
    }

    /// Whether `role` sees people whose processing is restricted (Article 18): only the role
    /// that answers rights requests, which must be able to lift the restriction.
    pub fn sees_restricted(&self, role: Role) -> bool {
        Self::answers_rights(role)
    }

    /// Whether `role` may see `group` of a person holding `categories`.
    pub fn can_see(&self, role: Role, categories: &[Category], group: FieldGroup) -> bool {
        self.groups(role, categories).has(group)
    }

    /// Whether `role` may see the person at all (at least their name).
    pub fn can_see_person(&self, role: Role, categories: &[Category]) -> bool {
        self.can_see(role, categories, FieldGroup::Name)
    }

    /// The field groups `role` may see of a person holding `categories`, in
    /// [`FieldGroup::ALL`] order.
    pub fn visible_groups(&self, role: Role, categories: &[Category]) -> Vec<FieldGroup> {
        let groups = self.groups(role, categories);
        FieldGroup::ALL.iter().copied().filter(|&g| groups.has(g)).collect()
    }

    /// The field groups `role` sees when it opens the record of a person holding
    /// `categories`: what the notice makes it a recipient of ([`AccessMatrix::visible_groups`])
    /// and, for the role that answers rights requests, every non-sensitive group the categories
    /// collect, so it can answer an access or rectification request.
    pub fn record_groups(&self, role: Role, categories: &[Category]) -> Vec<FieldGroup> {
        let groups = self.record_group_set(role, categories);
        FieldGroup::ALL.iter().copied().filter(|&g| groups.has(g)).collect()
    }

    /// Whether `group` is among [`AccessMatrix::record_groups`] (a table read, no allocation:
    /// search asks this for every candidate).
    pub fn can_see_in_record(&self, role: Role, categories: &[Category], group: FieldGroup) -> bool {
        self.record_group_set(role, categories).has(group)
    }

    fn record_group_set(&self, role: Role, categories: &[Category]) -> Groups {
        let groups = self.groups(role, categories);
        if Self::answers_rights(role) {
            categories
                .iter()
                .map(|&c| self.collected[c as usize])
                .fold(groups, Groups::union)
        } else {
            groups
        }
    }

    /// The roles that may see `group` of a person holding `categories`, in [`Role::ALL`]
    /// order (for notices and Article 19 lists of recipients).
    pub fn roles_seeing(&self, categories: &[Category], group: FieldGroup) -> Vec<Role> {
        Role::ALL
            .iter()
            .copied()
            .filter(|&r| self.can_see(r, categories, group))
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::profile::{builtin, parse, DEFAULT_PROFILE};
    use Category as C;
    use FieldGroup as G;
    use Role as R;

    fn gn() -> AccessMatrix {
        let text = builtin(DEFAULT_PROFILE).unwrap();
        parse(text).unwrap().access_matrix()
    }

    /// The categories the Good Neighbours notice defines (not the perinatal charity's own).
    fn gn_categories() -> Vec<Category> {
        parse(builtin(DEFAULT_PROFILE).unwrap()).unwrap().category_keys()
    }

    fn juno() -> AccessMatrix {
        parse(builtin("perinatal-peer-support").unwrap())
            .unwrap()
            .access_matrix()
    }

    fn groups(list: &str) -> Vec<FieldGroup> {
        let mut v: Vec<FieldGroup> = list.split_whitespace().map(|s| FieldGroup::parse(s).unwrap()).collect();
        v.sort_by_key(|g| FieldGroup::ALL.iter().position(|x| x == g));
        v
    }

    /// The Good Neighbours notice, role by category: every field group each role sees.
    /// Abbreviations: dob = date_of_birth, corr = correspondence, org = organisation,
    /// refs = references, crim = criminal_offence.
    const GN_MATRIX: &[(Category, Role, &str)] = &[
        // Client: duty officers, the relevant section leader, the board of trustees.
        (
            C::Client,
            R::DutyOfficer,
            "name address phone email dob health services corr",
        ),
        (
            C::Client,
            R::SectionLeader,
            "name address phone email dob health services corr",
        ),
        (
            C::Client,
            R::Trustee,
            "name address phone email dob health services corr",
        ),
        (C::Client, R::MembershipSecretary, ""),
        (C::Client, R::DbsOfficer, ""),
        (C::Client, R::DataProtectionLead, "name"),
        // Volunteer: the membership secretary and the board of trustees; DBS checks only to
        // the DBS officers and trustees; DBS officers see contact details and the checks;
        // duty officers and section leaders ("other volunteers") the name, phone and services.
        (C::Volunteer, R::DutyOfficer, "name phone services"),
        (C::Volunteer, R::SectionLeader, "name phone services"),
        (
            C::Volunteer,
            R::Trustee,
            "name address phone email health services corr refs crim",
        ),
        (
            C::Volunteer,
            R::MembershipSecretary,
            "name address phone email health services corr refs",
        ),
        (C::Volunteer, R::DbsOfficer, "name address phone email crim"),
        (C::Volunteer, R::DataProtectionLead, "name"),
        // Client's relative: duty officers and the relevant section leader.
        (C::Relative, R::DutyOfficer, "name phone email corr"),
        (C::Relative, R::SectionLeader, "name phone email corr"),
        (C::Relative, R::Trustee, ""),
        (C::Relative, R::MembershipSecretary, ""),
        (C::Relative, R::DbsOfficer, ""),
        (C::Relative, R::DataProtectionLead, "name"),
        // Social/healthcare worker: duty officers and the relevant section leader.
        (C::Professional, R::DutyOfficer, "name phone email org corr"),
        (C::Professional, R::SectionLeader, "name phone email org corr"),
        (C::Professional, R::Trustee, ""),
        (C::Professional, R::MembershipSecretary, ""),
        (C::Professional, R::DbsOfficer, ""),
        (C::Professional, R::DataProtectionLead, "name"),
        // Friend: the board of trustees.
        (C::Friend, R::DutyOfficer, ""),
        (C::Friend, R::SectionLeader, ""),
        (C::Friend, R::Trustee, "name address phone email"),
        (C::Friend, R::MembershipSecretary, ""),
        (C::Friend, R::DbsOfficer, ""),
        (C::Friend, R::DataProtectionLead, "name"),
        // Third party: duty officers and the board of trustees.
        (C::ThirdParty, R::DutyOfficer, "name phone email org corr"),
        (C::ThirdParty, R::SectionLeader, ""),
        (C::ThirdParty, R::Trustee, "name phone email org corr"),
        (C::ThirdParty, R::MembershipSecretary, ""),
        (C::ThirdParty, R::DbsOfficer, ""),
        (C::ThirdParty, R::DataProtectionLead, "name"),
        // Volunteer's referee: the membership secretary and the relevant section leader.
        (C::Referee, R::DutyOfficer, ""),
        (C::Referee, R::SectionLeader, "name address phone email corr"),
        (C::Referee, R::Trustee, ""),
        (C::Referee, R::MembershipSecretary, "name address phone email corr"),
        (C::Referee, R::DbsOfficer, ""),
        (C::Referee, R::DataProtectionLead, "name"),
        // Emergency contact: those who may need to ring them.
        (C::EmergencyContact, R::DutyOfficer, "name phone corr"),
        (C::EmergencyContact, R::SectionLeader, "name phone corr"),
        (C::EmergencyContact, R::Trustee, ""),
        (C::EmergencyContact, R::MembershipSecretary, "name phone corr"),
        (C::EmergencyContact, R::DbsOfficer, ""),
        (C::EmergencyContact, R::DataProtectionLead, "name"),
    ];

    fn expand(list: &str) -> String {
        list.split_whitespace()
            .map(|s| match s {
                "dob" => "date_of_birth",
                "corr" => "correspondence",
                "org" => "organisation",
                "refs" => "references",
                "crim" => "criminal_offence",
                other => other,
            })
            .collect::<Vec<_>>()
            .join(" ")
    }

    #[test]
    fn good_neighbours_matrix_is_the_notice_for_every_role_and_category() {
        let m = gn();
        assert_eq!(GN_MATRIX.len(), Role::ALL.len() * gn_categories().len());
        for &(category, role, expected) in GN_MATRIX {
            assert_eq!(
                m.visible_groups(role, &[category]),
                groups(&expand(expected)),
                "{} looking at a {}",
                role.key(),
                category.key()
            );
        }
        // Every pair is spelled out exactly once; a category the notice does not define shows
        // nothing to anyone.
        for &c in Category::ALL {
            if !gn_categories().contains(&c) {
                for &r in Role::ALL {
                    let seen = m.visible_groups(r, &[c]);
                    assert!(
                        seen.is_empty() || r == R::DataProtectionLead,
                        "{} / {}",
                        c.key(),
                        r.key()
                    );
                }
                continue;
            }
            for &r in Role::ALL {
                let n = GN_MATRIX.iter().filter(|(mc, mr, _)| *mc == c && *mr == r).count();
                assert_eq!(n, 1, "{} / {}", c.key(), r.key());
            }
        }
    }

    #[test]
    fn sensitive_groups_role_by_category() {
        let m = gn();
        // (category, roles that see health, roles that see criminal offence data)
        let table: &[(Category, &[Role], &[Role])] = &[
            (C::Client, &[R::DutyOfficer, R::SectionLeader, R::Trustee], &[]),
            (
                C::Volunteer,
                &[R::Trustee, R::MembershipSecretary],
                &[R::Trustee, R::DbsOfficer],
            ),
            (C::Relative, &[], &[]),
            (C::Professional, &[], &[]),
            (C::Friend, &[], &[]),
            (C::ThirdParty, &[], &[]),
            (C::Referee, &[], &[]),
            (C::EmergencyContact, &[], &[]),
        ];
        for &(c, health, crim) in table {
            for &r in Role::ALL {
                assert_eq!(
                    m.can_see(r, &[c], G::Health),
                    health.contains(&r),
                    "health: {} / {}",
                    r.key(),
                    c.key()
                );
                assert_eq!(
                    m.can_see(r, &[c], G::CriminalOffence),
                    crim.contains(&r),
                    "criminal offence: {} / {}",
                    r.key(),
                    c.key()
                );
            }
        }
    }

    #[test]
    fn duty_officer_never_sees_criminal_offence_data() {
        let m = gn();
        for &c in Category::ALL {
            assert!(!m.can_see(R::DutyOfficer, &[c], G::CriminalOffence), "{}", c.key());
        }
        assert!(!m.can_see(R::DutyOfficer, Category::ALL, G::CriminalOffence));
    }

    #[test]
    fn dbs_officer_sees_volunteer_checks_but_not_client_health() {
        let m = gn();
        assert!(m.can_see(R::DbsOfficer, &[C::Volunteer], G::CriminalOffence));
        assert!(!m.can_see(R::DbsOfficer, &[C::Volunteer], G::Health));
        assert!(!m.can_see(R::DbsOfficer, &[C::Client], G::Health));
        assert!(!m.can_see_person(R::DbsOfficer, &[C::Client]));
        // A volunteer who is also a client: the DBS officer still sees only the checks and
        // the contact details, never the health data the client record brings.
        assert_eq!(
            m.visible_groups(R::DbsOfficer, &[C::Client, C::Volunteer]),
            groups("name address phone email criminal_offence")
        );
    }

    #[test]
    fn several_categories_give_the_union() {
        let m = gn();
        // The membership secretary sees a volunteer's health; a duty officer sees it only
        // because the same person is also a client.
        assert!(!m.can_see(R::DutyOfficer, &[C::Volunteer], G::Health));
        assert!(m.can_see(R::DutyOfficer, &[C::Volunteer, C::Client], G::Health));
        assert!(!m.can_see(R::DutyOfficer, &[C::Volunteer, C::Client], G::References));
        assert_eq!(
            m.roles_seeing(&[C::Volunteer], G::CriminalOffence),
            vec![R::Trustee, R::DbsOfficer]
        );
    }

    #[test]
    fn nobody_sees_a_person_without_categories_but_the_dpl_sees_the_name() {
        let m = gn();
        for &r in Role::ALL {
            let expected = if r == R::DataProtectionLead {
                vec![G::Name]
            } else {
                vec![]
            };
            assert_eq!(m.visible_groups(r, &[]), expected, "{}", r.key());
            assert_eq!(m.can_see_person(r, &[]), r == R::DataProtectionLead);
        }
    }

    #[test]
    fn juno_has_no_criminal_offence_data_and_keeps_health_to_supporters() {
        let m = juno();
        for &c in Category::ALL {
            for &r in Role::ALL {
                assert!(!m.can_see(r, &[c], G::CriminalOffence));
            }
        }
        assert_eq!(
            m.roles_seeing(&[C::Client], G::Health),
            vec![R::DutyOfficer, R::SectionLeader]
        );
        assert!(!m.can_see(R::Trustee, &[C::Client], G::Health));
        assert!(m.can_see(R::Trustee, &[C::Friend], G::Email));
        // Categories Juno does not define grant nothing.
        assert!(!m.can_see_person(R::DutyOfficer, &[C::Referee]));
    }
}
