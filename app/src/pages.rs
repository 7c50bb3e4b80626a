//! The app's pages: one list that the app picks its page from and the server routes, so a
//! page cannot exist on one side only. There is no client-side router (see ARCHITECTURE.md,
//! "Browser bundle size"): the server renders the page of the requested path and the
//! browser hydrates it.

/// A page of the app.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Page {
    /// `/`: the planner, with the saved scenarios and the what-ifs.
    Planner,
    /// `/compare?ids=A,B`: saved scenarios side by side.
    Compare,
    /// `/account`: the signed-in user's teams and API tokens.
    Account,
    /// `/admin`: users, teams, roles and the audit log.
    Admin,
    /// `/books`: the pricing team's price books.
    Books,
}

/// Every page and its path.
pub const PAGES: &[(&str, Page)] = &[
    ("/", Page::Planner),
    ("/compare", Page::Compare),
    ("/account", Page::Account),
    ("/admin", Page::Admin),
    ("/books", Page::Books),
];

/// The page at `path`, or `None` (not found).
pub fn at(path: &str) -> Option<Page> {
    PAGES
        .iter()
        .find(|(p, _)| *p == path)
        .map(|(_, page)| *page)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_path_names_one_page() {
        assert_eq!(at("/"), Some(Page::Planner));
        assert_eq!(at("/compare"), Some(Page::Compare));
        assert_eq!(at("/admin"), Some(Page::Admin));
        assert_eq!(at("/nothing"), None);
        for (i, (p, _)) in PAGES.iter().enumerate() {
            assert!(PAGES[..i].iter().all(|(q, _)| q != p), "{p} listed twice");
        }
    }
}
