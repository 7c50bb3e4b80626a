//! How big each site's storage cluster must be (`docs/model.md#cluster-sizing`).
//!
//! Choices where the spec is silent:
//! - Hardware is never removed: the installed count is the largest count needed so far,
//!   so a shrinking lake keeps its enclosures and the expansion plan only ever adds.
//! - Nodes are sized for the busy-day rate (R_peak), not the daily average: the cluster
//!   must absorb what the links deliver in the window. The write rate is what the site
//!   receives; the read rate is `cluster.read_gbytes_per_s` plus, in a chain, what the
//!   site forwards to the next one.
//! - Racks hold `rack_ru` units (default 42 U) and at most `rack_kw` of IT load (default
//!   10 kW, the top of the usual 5–10 kW); each rack also holds `switches_per_rack`
//!   switches (default 2, 1 U and 500 W each, placeholders). The rack count is the larger
//!   of what space and power need.
//! - Power is the active draw of every device (enclosure, node, switch); PUE is applied
//!   when power is priced, not here.
//! - Usable and effective capacity reported (and licensed) are those of the installed
//!   enclosures, not of the need: that is what a customer buys and a vendor licenses.

use crate::calendar::Month;
use crate::links::ceil_count;
use crate::units::{BitRate, Bytes};

/// The hardware profile of a site's cluster, in model units.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Hardware {
    pub enclosure_raw: Bytes,
    pub enclosure_ru: u32,
    pub enclosure_watts: f64,
    pub min_enclosures: u32,
    pub ec_data: u32,
    pub ec_parity: u32,
    /// System reserve as a fraction of raw (0.08 for 8 %).
    pub reserve: f64,
    pub data_reduction: f64,
    pub fill_target: f64,
    pub node_cores: u32,
    pub node_ru: u32,
    pub node_watts: f64,
    pub node_write: BitRate,
    pub node_read: BitRate,
    pub min_nodes: u32,
    pub rack_ru: u32,
    pub rack_kw: f64,
    pub switches_per_rack: u32,
    pub switch_ru: u32,
    pub switch_watts: f64,
}

impl Hardware {
    /// d/(d+p): the share of raw that holds data under the erasure code.
    pub fn ec_efficiency(&self) -> f64 {
        let d = f64::from(self.ec_data);
        d / (d + f64::from(self.ec_parity))
    }

    /// stored = logical / data-reduction ratio.
    pub fn stored(&self, logical: Bytes) -> Bytes {
        logical / self.data_reduction
    }

    /// usable needed = stored / fill target.
    pub fn usable_needed(&self, logical: Bytes) -> Bytes {
        self.stored(logical) / self.fill_target
    }

    /// raw needed = usable needed / (d/(d+p)) / (1 − reserve).
    pub fn raw_needed(&self, logical: Bytes) -> Bytes {
        self.usable_needed(logical) / self.ec_efficiency() / (1.0 - self.reserve)
    }

    /// max(minimum, ceil(raw needed / raw per enclosure)).
    pub fn enclosures_needed(&self, logical: Bytes) -> u64 {
        ceil_count(self.raw_needed(logical) / self.enclosure_raw)
            .max(u64::from(self.min_enclosures))
    }

    /// Usable capacity of `enclosures`: raw · d/(d+p) · (1 − reserve).
    pub fn usable_of(&self, enclosures: u64) -> Bytes {
        self.enclosure_raw * (enclosures as f64 * self.ec_efficiency() * (1.0 - self.reserve))
    }

    /// max(minimum, ceil(write / node write + read / node read)).
    pub fn nodes_needed(&self, write: BitRate, read: BitRate) -> u64 {
        ceil_count(write / self.node_write + read / self.node_read).max(u64::from(self.min_nodes))
    }

    /// Racks, switches, rack units and power for installed enclosures and nodes.
    pub fn footprint(&self, enclosures: u64, nodes: u64) -> Footprint {
        let (e, n) = (enclosures as f64, nodes as f64);
        let equip_ru = e * f64::from(self.enclosure_ru) + n * f64::from(self.node_ru);
        let equip_kw = (e * self.enclosure_watts + n * self.node_watts) / 1000.0;
        let sw = f64::from(self.switches_per_rack);
        let ru_per_rack = f64::from(self.rack_ru) - sw * f64::from(self.switch_ru);
        let kw_per_rack = self.rack_kw - sw * self.switch_watts / 1000.0;
        let racks = if enclosures + nodes == 0 {
            0
        } else {
            ceil_count(equip_ru / ru_per_rack).max(ceil_count(equip_kw / kw_per_rack))
        };
        let switches = racks * u64::from(self.switches_per_rack);
        Footprint {
            racks,
            switches,
            rack_units: equip_ru + switches as f64 * f64::from(self.switch_ru),
            power_kw: equip_kw + switches as f64 * self.switch_watts / 1000.0,
        }
    }
}

/// Where the cluster stands and what it draws.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct Footprint {
    pub racks: u64,
    pub switches: u64,
    pub rack_units: f64,
    pub power_kw: f64,
}

/// One site in one month.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct SiteSize {
    pub logical: Bytes,
    pub stored: Bytes,
    pub usable_needed: Bytes,
    pub raw_needed: Bytes,
    pub enclosures_needed: u64,
    /// Installed: the most needed so far.
    pub enclosures: u64,
    pub write: BitRate,
    pub read: BitRate,
    pub nodes_needed: u64,
    pub nodes: u64,
    pub cores: u64,
    /// Usable capacity of the installed enclosures.
    pub usable: Bytes,
    /// Usable × data-reduction ratio: what the installed cluster can hold of the lake.
    pub effective: Bytes,
    pub footprint: Footprint,
}

/// The capacity a site's share of the lake needs. It depends on the lake alone, not on
/// the topology, so a report computes it once for both topologies it compares.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct CapacityNeed {
    pub logical: Bytes,
    pub stored: Bytes,
    pub usable_needed: Bytes,
    pub raw_needed: Bytes,
    pub enclosures_needed: u64,
}

impl Hardware {
    /// stored → usable needed → raw needed → enclosures, each step once.
    pub fn capacity_need(&self, logical: Bytes) -> CapacityNeed {
        let stored = self.stored(logical);
        let usable_needed = stored / self.fill_target;
        let raw_needed = usable_needed / self.ec_efficiency() / (1.0 - self.reserve);
        CapacityNeed {
            logical,
            stored,
            usable_needed,
            raw_needed,
            enclosures_needed: ceil_count(raw_needed / self.enclosure_raw)
                .max(u64::from(self.min_enclosures)),
        }
    }
}

/// Sizes a site with capacity `need`, written at `write` and read at `read`, given its
/// size the month before (`None` before the first installation).
pub fn size_site(
    hw: &Hardware,
    need: &CapacityNeed,
    write: BitRate,
    read: BitRate,
    previous: Option<&SiteSize>,
) -> SiteSize {
    let enclosures_needed = need.enclosures_needed;
    let nodes_needed = hw.nodes_needed(write, read);
    let (enclosures, nodes, footprint, usable) = match previous {
        // Nothing to add: the installed cluster stands as it was.
        Some(p) if p.enclosures >= enclosures_needed && p.nodes >= nodes_needed => {
            (p.enclosures, p.nodes, p.footprint, p.usable)
        }
        _ => {
            let before = previous.map_or((0, 0), |p| (p.enclosures, p.nodes));
            let e = enclosures_needed.max(before.0);
            let n = nodes_needed.max(before.1);
            (e, n, hw.footprint(e, n), hw.usable_of(e))
        }
    };
    SiteSize {
        logical: need.logical,
        stored: need.stored,
        usable_needed: need.usable_needed,
        raw_needed: need.raw_needed,
        enclosures_needed,
        enclosures,
        write,
        read,
        nodes_needed,
        nodes,
        cores: nodes * u64::from(hw.node_cores),
        usable,
        effective: usable * hw.data_reduction,
        footprint,
    }
}

/// One step of the expansion plan: in `month`, `site` grows by these counts (the first
/// step is the initial installation).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Expansion {
    pub month: Month,
    pub site: crate::report::Name,
    pub enclosures_added: u64,
    pub nodes_added: u64,
    pub enclosures_total: u64,
    pub nodes_total: u64,
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    pub(crate) fn reference_hw() -> Hardware {
        Hardware {
            enclosure_raw: Bytes::from_tb(1351.68),
            enclosure_ru: 1,
            enclosure_watts: 728.0,
            min_enclosures: 11,
            ec_data: 146,
            ec_parity: 4,
            reserve: 0.08,
            data_reduction: 1.2,
            fill_target: 0.8,
            node_cores: 48,
            node_ru: 1,
            node_watts: 500.0,
            node_write: BitRate::from_gbytes_per_second(5.0),
            node_read: BitRate::from_gbytes_per_second(10.0),
            min_nodes: 11,
            rack_ru: 42,
            rack_kw: 10.0,
            switches_per_rack: 2,
            switch_ru: 1,
            switch_watts: 500.0,
        }
    }

    fn close(a: f64, b: f64, tol: f64) -> bool {
        (a - b).abs() <= tol
    }

    /// docs/model.md#cluster-sizing: 770 PB, ratio 1.2, fill 0.8, 146+4, reserve 8 %,
    /// 1 351.68 TB raw per enclosure → raw needed 895.715 PB → 663 enclosures; at 450 PB
    /// → 388.
    #[test]
    fn model_example() {
        let hw = reference_hw();
        assert!(close(
            hw.raw_needed(Bytes::from_pb(770.0)).pb(),
            895.715,
            5e-4
        ));
        assert_eq!(hw.enclosures_needed(Bytes::from_pb(770.0)), 663);
        assert_eq!(hw.enclosures_needed(Bytes::from_pb(450.0)), 388);
        assert_eq!(hw.enclosures_needed(Bytes::from_pb(0.1)), 11);
        let need = hw.capacity_need(Bytes::from_pb(770.0));
        assert_eq!(need.raw_needed, hw.raw_needed(Bytes::from_pb(770.0)));
        assert!(close(need.stored.pb(), 770.0 / 1.2, 1e-9));
    }

    /// The reference chain's first site writes 4.1667 Tbps and forwards as much:
    /// 520.8 GB/s / 5 + 520.8 GB/s / 10 = 156.25 → 157 nodes of 48 cores.
    #[test]
    fn nodes_from_write_and_read() {
        let hw = reference_hw();
        let r = BitRate(45e15 * 8.0 / 86_400.0);
        let s = size_site(&hw, &hw.capacity_need(Bytes::from_pb(450.0)), r, r, None);
        assert_eq!(s.nodes, 157);
        assert_eq!(s.cores, 157 * 48);
        let quiet = size_site(
            &hw,
            &hw.capacity_need(Bytes::from_pb(450.0)),
            BitRate(0.0),
            BitRate(0.0),
            None,
        );
        assert_eq!(quiet.nodes, 11);
    }

    /// 388 enclosures + 157 nodes = 545 U and 360.964 kW: power needs 41 racks of 9 kW of
    /// equipment (space alone would need 14 of 40 U), so 82 switches add 41 kW.
    #[test]
    fn racks_follow_the_binding_limit() {
        let hw = reference_hw();
        let f = hw.footprint(388, 157);
        let equip_kw = (388.0 * 728.0 + 157.0 * 500.0) / 1000.0;
        assert!(close(equip_kw, 360.964, 1e-9));
        assert_eq!(f.racks, 41);
        assert_eq!(f.switches, 82);
        assert!(close(f.power_kw, equip_kw + 41.0, 1e-9));
        assert!(close(f.rack_units, 545.0 + 82.0, 1e-9));
        assert_eq!(hw.footprint(0, 0).racks, 0);
    }

    #[test]
    fn installed_hardware_never_shrinks() {
        let hw = reference_hw();
        let r = BitRate::from_gbytes_per_second(100.0);
        let big = size_site(&hw, &hw.capacity_need(Bytes::from_pb(450.0)), r, r, None);
        assert_eq!((big.enclosures, big.nodes), (388, 30));
        let s = size_site(
            &hw,
            &hw.capacity_need(Bytes::from_pb(100.0)),
            BitRate(0.0),
            BitRate(0.0),
            Some(&big),
        );
        assert_eq!(s.enclosures, 388);
        assert!(s.enclosures_needed < 388);
        assert_eq!(s.nodes, 30);
        assert_eq!(s.footprint, big.footprint);
        // Growth past the installed count adds only what is needed.
        let grown = size_site(
            &hw,
            &hw.capacity_need(Bytes::from_pb(500.0)),
            r,
            r * 2.0,
            Some(&big),
        );
        assert_eq!(
            grown.enclosures,
            hw.enclosures_needed(Bytes::from_pb(500.0))
        );
        assert_eq!(grown.nodes, 40);
        assert!(close(s.effective.0, s.usable.0 * 1.2, 1.0));
    }

    proptest! {
        /// A larger lake never needs fewer enclosures.
        #[test]
        fn larger_lake_never_fewer_enclosures(a in 0.0f64..5000.0, b in 0.0f64..5000.0) {
            let (lo, hi) = if a <= b { (a, b) } else { (b, a) };
            let hw = reference_hw();
            prop_assert!(hw.enclosures_needed(Bytes::from_pb(hi)) >= hw.enclosures_needed(Bytes::from_pb(lo)));
            // And the installed usable capacity covers the need.
            let n = hw.enclosures_needed(Bytes::from_pb(hi));
            prop_assert!(hw.usable_of(n).0 >= hw.usable_needed(Bytes::from_pb(hi)).0 * (1.0 - 1e-12));
        }
    }
}
