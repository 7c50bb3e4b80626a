//! From a provider's groups to Lakeplan's teams and roles.
//!
//! A group named `lakeplan:<team>:<role>` gives that role in that team, with no
//! configuration: a directory administrator can grant access by naming groups so. Other
//! group names (as directories already have them, or opaque ids such as Entra ID's) are
//! mapped by a small TOML file, `LAKEPLAN_OIDC_GROUP_MAP`:
//!
//! ```toml
//! [groups]
//! "Storage Engineers" = "storage:engineer"
//! finance = ["storage:pricing", "compute:pricing"]
//! ```
//!
//! A role in the file that Lakeplan does not have is an error when the file is loaded,
//! naming its line, so a typo stops the server at start instead of silently granting
//! nothing. A role in a `lakeplan:` group that Lakeplan does not have is ignored: the
//! directory is not ours to validate, and one odd group must not lock a user out.
//! When several groups give roles in one team, the highest role wins (roles include the
//! ones below them: viewer < engineer < pricing < admin).

use std::collections::BTreeMap;
use std::path::Path;

use serde::Deserialize;

use super::OidcError;

/// The prefix of groups that name their team and role themselves.
const PREFIX: &str = "lakeplan:";

/// Lakeplan's roles, lowest first: each includes the ones before it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Role {
    Viewer,
    Engineer,
    Pricing,
    Admin,
}

const ROLES: &str = "viewer, engineer, pricing or admin";

impl Role {
    fn parse(text: &str) -> Option<Role> {
        match text {
            "viewer" => Some(Role::Viewer),
            "engineer" => Some(Role::Engineer),
            "pricing" => Some(Role::Pricing),
            "admin" => Some(Role::Admin),
            _ => None,
        }
    }

    fn as_str(self) -> &'static str {
        match self {
            Role::Viewer => "viewer",
            Role::Engineer => "engineer",
            Role::Pricing => "pricing",
            Role::Admin => "admin",
        }
    }
}

/// `team:role`, checked: a team name is not empty and has no `:` or surrounding spaces.
fn team_role(text: &str) -> Result<(String, Role), String> {
    let (team, role) = text
        .rsplit_once(':')
        .ok_or_else(|| format!("{text:?} is not team:role"))?;
    if team.is_empty() || team.contains(':') || team.trim() != team {
        return Err(format!(
            "{text:?}: the team name must be non-empty, without ':' or surrounding spaces"
        ));
    }
    let role = Role::parse(role)
        .ok_or_else(|| format!("unknown role {role:?} in {text:?} (roles: {ROLES})"))?;
    Ok((team.to_string(), role))
}

/// Group names mapped to the teams and roles they give, from `LAKEPLAN_OIDC_GROUP_MAP`.
/// The default (no file) maps nothing: only `lakeplan:<team>:<role>` groups count.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct GroupMapping {
    groups: BTreeMap<String, Vec<(String, Role)>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct MappingFile {
    #[serde(default)]
    groups: BTreeMap<String, toml::Spanned<toml::Value>>,
}

impl GroupMapping {
    /// The file named by `LAKEPLAN_OIDC_GROUP_MAP`, or the default mapping when it is unset.
    pub fn from_env() -> Result<GroupMapping, OidcError> {
        match std::env::var_os("LAKEPLAN_OIDC_GROUP_MAP") {
            Some(path) if !path.is_empty() => GroupMapping::load(Path::new(&path)),
            _ => Ok(GroupMapping::default()),
        }
    }

    /// Reads and checks a mapping file.
    pub fn load(path: &Path) -> Result<GroupMapping, OidcError> {
        let text = std::fs::read_to_string(path).map_err(|e| OidcError::GroupMap {
            path: path.display().to_string(),
            reason: e.to_string(),
        })?;
        GroupMapping::parse(&text).map_err(|reason| OidcError::GroupMap {
            path: path.display().to_string(),
            reason,
        })
    }

    /// Parses a mapping file's text; an error names the line at fault.
    pub fn parse(text: &str) -> Result<GroupMapping, String> {
        // toml's own messages name the line and column of a syntax error.
        let file: MappingFile = toml::from_str(text).map_err(|e| e.to_string())?;
        let mut groups = BTreeMap::new();
        for (group, value) in file.groups {
            let line = 1 + text[..value.span().start].matches('\n').count();
            let at = |reason: String| format!("line {line}: group {group:?}: {reason}");
            let items: Vec<&str> = match value.get_ref() {
                toml::Value::String(one) => vec![one.as_str()],
                toml::Value::Array(many) => many
                    .iter()
                    .map(|v| {
                        v.as_str()
                            .ok_or_else(|| at("expected \"team:role\" strings".into()))
                    })
                    .collect::<Result<_, _>>()?,
                _ => return Err(at("expected \"team:role\" or a list of them".into())),
            };
            let pairs = items
                .into_iter()
                .map(|item| team_role(item).map_err(&at))
                .collect::<Result<Vec<_>, _>>()?;
            groups.insert(group, pairs);
        }
        Ok(GroupMapping { groups })
    }

    /// How many groups the file maps (for a start-up line).
    pub fn len(&self) -> usize {
        self.groups.len()
    }

    pub fn is_empty(&self) -> bool {
        self.groups.is_empty()
    }
}

/// The (team, role) pairs a user's groups give, one per team (the highest role), sorted by
/// team. Groups that give nothing are ignored.
pub fn memberships(groups: &[String], mapping: &GroupMapping) -> Vec<(String, String)> {
    let mut best: BTreeMap<String, Role> = BTreeMap::new();
    let mut grant = |team: &str, role: Role| {
        let entry = best.entry(team.to_string()).or_insert(role);
        *entry = (*entry).max(role);
    };
    for group in groups {
        if let Some(rest) = group.strip_prefix(PREFIX) {
            if let Ok((team, role)) = team_role(rest) {
                grant(&team, role);
            }
        }
        for (team, role) in mapping.groups.get(group).into_iter().flatten() {
            grant(team, *role);
        }
    }
    best.into_iter()
        .map(|(team, role)| (team, role.as_str().to_string()))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(list: &[&str]) -> Vec<String> {
        list.iter().map(|s| s.to_string()).collect()
    }

    fn pairs(list: &[(&str, &str)]) -> Vec<(String, String)> {
        list.iter()
            .map(|(t, r)| (t.to_string(), r.to_string()))
            .collect()
    }

    #[test]
    fn lakeplan_groups_name_their_team_and_role() {
        let got = memberships(
            &names(&[
                "lakeplan:storage:engineer",
                "lakeplan:compute:viewer",
                "staff",
            ]),
            &GroupMapping::default(),
        );
        assert_eq!(
            got,
            pairs(&[("compute", "viewer"), ("storage", "engineer")])
        );
    }

    #[test]
    fn the_highest_role_in_a_team_wins() {
        let got = memberships(
            &names(&[
                "lakeplan:storage:pricing",
                "lakeplan:storage:viewer",
                "lakeplan:storage:admin",
                "lakeplan:storage:engineer",
            ]),
            &GroupMapping::default(),
        );
        assert_eq!(got, pairs(&[("storage", "admin")]));
    }

    #[test]
    fn odd_lakeplan_groups_give_nothing() {
        let got = memberships(
            &names(&[
                "lakeplan:storage:owner",
                "lakeplan::admin",
                "lakeplan:admin",
                "lakeplan:a:b:admin",
                "Lakeplan:storage:admin",
                "lakeplan:storage:Admin",
            ]),
            &GroupMapping::default(),
        );
        assert!(got.is_empty(), "{got:?}");
        assert!(memberships(&[], &GroupMapping::default()).is_empty());
    }

    #[test]
    fn a_mapping_file_maps_other_groups() {
        let mapping = GroupMapping::parse(
            r#"
# directory groups
[groups]
"Storage Engineers" = "storage:engineer"
finance = ["storage:pricing", "compute:pricing"]
"cn=admins,ou=groups" = "storage:admin"
"#,
        )
        .expect("valid");
        assert_eq!(mapping.len(), 3);
        let got = memberships(
            &names(&[
                "Storage Engineers",
                "finance",
                "lakeplan:edge:viewer",
                "other",
            ]),
            &mapping,
        );
        assert_eq!(
            got,
            pairs(&[
                ("compute", "pricing"),
                ("edge", "viewer"),
                ("storage", "pricing")
            ])
        );
        // Group names are matched exactly.
        assert!(memberships(&names(&["storage engineers"]), &mapping).is_empty());
        let got = memberships(&names(&["cn=admins,ou=groups", "finance"]), &mapping);
        assert_eq!(got, pairs(&[("compute", "pricing"), ("storage", "admin")]));
    }

    #[test]
    fn an_unknown_role_names_its_line() {
        let err = GroupMapping::parse(
            "[groups]\nfinance = \"storage:pricing\"\n\nops = [\"storage:engineer\", \"compute:owner\"]\n",
        )
        .expect_err("unknown role");
        assert!(err.starts_with("line 4:"), "{err}");
        assert!(
            err.contains("\"owner\"") && err.contains("\"ops\""),
            "{err}"
        );
        assert!(err.contains("viewer, engineer, pricing or admin"), "{err}");
    }

    #[test]
    fn malformed_entries_are_refused_with_their_line() {
        for (text, line) in [
            ("[groups]\na = \"storage\"\n", "line 2:"),
            (
                "[groups]\na = \"storage:viewer\"\nb = \":admin\"\n",
                "line 3:",
            ),
            ("[groups]\na = 3\n", "line 2:"),
            ("[groups]\na = [\"x:viewer\", 3]\n", "line 2:"),
        ] {
            let err = GroupMapping::parse(text).expect_err(text);
            assert!(err.starts_with(line), "{text}: {err}");
        }
    }

    #[test]
    fn syntax_errors_and_unknown_tables_are_refused() {
        let err = GroupMapping::parse("[groups]\na = \n").expect_err("syntax");
        assert!(err.contains("line 2"), "{err}");
        let err = GroupMapping::parse("[group]\na = \"x:viewer\"\n").expect_err("unknown");
        assert!(err.contains("group"), "{err}");
        assert_eq!(
            GroupMapping::parse("").expect("empty"),
            GroupMapping::default()
        );
    }

    #[test]
    fn load_names_the_file() {
        let dir = tempfile::tempdir().expect("dir");
        let path = dir.path().join("groups.toml");
        std::fs::write(&path, "[groups]\nops = \"ops:boss\"\n").expect("write");
        let err = GroupMapping::load(&path).expect_err("bad role");
        let text = err.to_string();
        assert!(
            text.contains("groups.toml") && text.contains("line 2"),
            "{text}"
        );
        let err = GroupMapping::load(&dir.path().join("missing.toml")).expect_err("missing");
        assert!(err.to_string().contains("missing.toml"), "{err}");
    }
}
