//! Which paths exist between the cloud and the sites, and what each carries
//! (`docs/model.md#topology`).
//!
//! A site keeps `copy_fraction` of the lake. In `fan_out` the cloud sends each site its own
//! share. In `chain` the cloud sends to the first site, which forwards to the second, and
//! so on; every hop must carry what any site further down the chain keeps, so a hop
//! carries the largest fraction kept at or after its end. With full copies everywhere
//! this is one copy per hop, as the contract describes. A site in the middle of a chain that
//! keeps less than it relays still receives (and writes, then reads back) what it relays.

use crate::units::BitRate;

/// How the sites are fed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Topology {
    /// The cloud feeds the first site; each site forwards to the next.
    #[default]
    Chain,
    /// The cloud feeds every site directly.
    FanOut,
}

impl Topology {
    pub fn name(self) -> &'static str {
        match self {
            Topology::Chain => "chain",
            Topology::FanOut => "fan_out",
        }
    }
    /// The other topology, for the side-by-side comparison.
    pub fn other(self) -> Topology {
        match self {
            Topology::Chain => Topology::FanOut,
            Topology::FanOut => Topology::Chain,
        }
    }
}

/// Which bundle of `links` a path uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PathKind {
    Cloud,
    InterSite,
}

/// One path of the topology.
#[derive(Debug, Clone, PartialEq)]
pub struct Path {
    /// `cloud → SITE` or `SITE → SITE`.
    pub name: String,
    pub kind: PathKind,
    /// The sending site's index, `None` for the cloud.
    pub from: Option<usize>,
    /// The receiving site's index.
    pub to: usize,
    /// The fraction of the lake's change (and of the seed) the path carries.
    pub carry: f64,
}

impl Path {
    /// The payload this path carries when the whole lake's change needs `rate`.
    pub fn rate(&self, rate: BitRate) -> BitRate {
        rate * self.carry
    }
}

/// The paths of `topology` for sites given as `(name, copy_fraction)`, in site order.
pub fn paths(topology: Topology, sites: &[(&str, f64)]) -> Vec<Path> {
    match topology {
        Topology::FanOut => sites
            .iter()
            .enumerate()
            .map(|(i, (name, fraction))| Path {
                name: format!("cloud → {name}"),
                kind: PathKind::Cloud,
                from: None,
                to: i,
                carry: *fraction,
            })
            .collect(),
        Topology::Chain => {
            let downstream = downstream_max(sites);
            sites
                .iter()
                .enumerate()
                .map(|(i, (name, _))| match i.checked_sub(1) {
                    None => Path {
                        name: format!("cloud → {name}"),
                        kind: PathKind::Cloud,
                        from: None,
                        to: 0,
                        carry: downstream[0],
                    },
                    Some(prev) => Path {
                        name: format!("{} → {name}", sites[prev].0),
                        kind: PathKind::InterSite,
                        from: Some(prev),
                        to: i,
                        carry: downstream[i],
                    },
                })
                .collect()
        }
    }
}

/// For each site, the largest fraction kept at it or after it in the chain.
fn downstream_max(sites: &[(&str, f64)]) -> Vec<f64> {
    let mut out = vec![0.0; sites.len()];
    let mut acc = 0.0f64;
    for (i, (_, f)) in sites.iter().enumerate().rev() {
        acc = acc.max(*f);
        out[i] = acc;
    }
    out
}

/// Copies of the change that leave the cloud: the sum of what the cloud paths carry.
pub fn copies_leaving_cloud(paths: &[Path]) -> f64 {
    paths
        .iter()
        .filter(|p| p.kind == PathKind::Cloud)
        .map(|p| p.carry)
        .sum()
}

/// What each site receives (the carry of the path into it).
pub fn incoming(paths: &[Path], sites: usize) -> Vec<f64> {
    let mut out = vec![0.0; sites];
    for p in paths {
        if let Some(slot) = out.get_mut(p.to) {
            *slot += p.carry;
        }
    }
    out
}

/// What each site forwards to the next (read from its cluster): 0 in fan-out.
pub fn forwarded(paths: &[Path], sites: usize) -> Vec<f64> {
    let mut out = vec![0.0; sites];
    for p in paths {
        if let Some(slot) = p.from.and_then(|f| out.get_mut(f)) {
            *slot += p.carry;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    const TWO: [(&str, f64); 2] = [("Region 1", 1.0), ("Region 2", 1.0)];

    #[test]
    fn chain_sends_one_copy_and_forwards() {
        let p = paths(Topology::Chain, &TWO);
        let names: Vec<_> = p.iter().map(|p| p.name.as_str()).collect();
        assert_eq!(names, ["cloud → Region 1", "Region 1 → Region 2"]);
        assert_eq!(p[1].kind, PathKind::InterSite);
        assert_eq!(copies_leaving_cloud(&p), 1.0);
        assert_eq!(incoming(&p, 2), [1.0, 1.0]);
        assert_eq!(forwarded(&p, 2), [1.0, 0.0]);
    }

    #[test]
    fn fan_out_sends_every_site_its_copy() {
        let p = paths(Topology::FanOut, &TWO);
        let names: Vec<_> = p.iter().map(|p| p.name.as_str()).collect();
        assert_eq!(names, ["cloud → Region 1", "cloud → Region 2"]);
        assert_eq!(copies_leaving_cloud(&p), 2.0);
        assert_eq!(forwarded(&p, 2), [0.0, 0.0]);
    }

    /// A chain hop carries what any site after it keeps: a half-copy first site still
    /// relays the full copy the second site keeps.
    #[test]
    fn partial_copies() {
        let sites = [("A", 0.5), ("B", 1.0), ("C", 0.25)];
        let chain = paths(Topology::Chain, &sites);
        let carry: Vec<_> = chain.iter().map(|p| p.carry).collect();
        assert_eq!(carry, [1.0, 1.0, 0.25]);
        assert_eq!(forwarded(&chain, 3), [1.0, 0.25, 0.0]);
        let fan = paths(Topology::FanOut, &sites);
        assert_eq!(copies_leaving_cloud(&fan), 1.75);
        assert_eq!(Topology::Chain.other(), Topology::FanOut);
    }

    proptest! {
        /// With equal copies everywhere, fan-out sends exactly `sites` times what a chain
        /// sends out of the cloud.
        #[test]
        fn fan_out_is_sites_times_chain(n in 1usize..12, f in 0.01f64..=1.0) {
            let names: Vec<String> = (0..n).map(|i| format!("S{i}")).collect();
            let sites: Vec<(&str, f64)> = names.iter().map(|s| (s.as_str(), f)).collect();
            let chain = copies_leaving_cloud(&paths(Topology::Chain, &sites));
            let fan = copies_leaving_cloud(&paths(Topology::FanOut, &sites));
            prop_assert!((fan - n as f64 * chain).abs() <= 1e-12 * fan);
        }
    }
}
