//! What one TCP stream can carry across distance (`docs/model.md#tcp-across-distance`).
//!
//! A path's capacity is of no use if each stream is held back by its window or by loss:
//! the number of parallel streams tells the customer how hard the transfer tool must work.
//!
//! Choices where the spec is silent: a loss rate of 0 removes the Mathis limit (the window
//! alone limits the stream); a path that carries nothing needs 0 streams.

use crate::links::ceil_count;
use crate::units::{BitRate, Bytes};

/// The Mathis constant with an ACK per segment, √(3/2): the spec's form and the default
/// (`docs/model.md#tcp-across-distance`).
pub const MATHIS_C: f64 = 1.224_744_871_391_589;
/// The Mathis constant with delayed ACKs (one per two segments), √(3/4).
pub const MATHIS_C_DELAYED: f64 = 0.866_025_403_784_438_6;

/// A stream cannot have more than a window in flight per round trip: window·8 / RTT.
pub fn window_limit(window: Bytes, rtt_seconds: f64) -> BitRate {
    BitRate(window.bits() / rtt_seconds)
}

/// Mathis et al. (1997): MSS·8·C / (RTT·√p), MSS = MTU − 40 (− 12 more with timestamps).
/// `None` without loss.
pub fn mathis_limit(mss_bytes: u32, c: f64, rtt_seconds: f64, loss_rate: f64) -> Option<BitRate> {
    let mss = f64::from(mss_bytes);
    (loss_rate > 0.0).then(|| BitRate(mss * 8.0 * c / (rtt_seconds * loss_rate.sqrt())))
}

/// The rate of one stream: the smaller of the two limits.
pub fn per_stream_rate(
    window: Bytes,
    mss_bytes: u32,
    c: f64,
    rtt_seconds: f64,
    loss_rate: f64,
) -> BitRate {
    let w = window_limit(window, rtt_seconds);
    match mathis_limit(mss_bytes, c, rtt_seconds, loss_rate) {
        Some(m) if m < w => m,
        _ => w,
    }
}

/// ceil(R_peak / per-stream rate).
pub fn streams_needed(peak: BitRate, per_stream: BitRate) -> u64 {
    ceil_count(peak / per_stream)
}

/// The bandwidth-delay product C·RTT/8: the bytes in flight that fill the path, and so
/// the window (summed over streams) it needs.
pub fn bdp(capacity: BitRate, rtt_seconds: f64) -> Bytes {
    capacity.bytes_in(rtt_seconds)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use crate::units::BitRate;

    fn close(a: f64, b: f64, tol: f64) -> bool {
        (a - b).abs() <= tol
    }

    /// docs/model.md#tcp-across-distance: 16 MiB window, RTT 30 ms, MTU 9000, p = 10^-6 →
    /// window limit 4.474 Gbps, Mathis 2.926 Gbps, 1 424 streams for 4.1667 Tbps. BDP of
    /// 100 Gbps at 30 ms = 375 MB.
    #[test]
    fn model_example() {
        let window = Bytes(16.0 * 1_048_576.0);
        assert!(close(window_limit(window, 0.030).gbps(), 4.474, 5e-4));
        let m = mathis_limit(8960, MATHIS_C, 0.030, 1e-6).unwrap();
        assert!(close(m.gbps(), 2.926, 5e-4));
        let per = per_stream_rate(window, 8960, MATHIS_C, 0.030, 1e-6);
        assert_eq!(per, m);
        let r = BitRate(45e15 * 8.0 / 86_400.0);
        assert_eq!(streams_needed(r, per), 1424);
        assert_eq!(bdp(BitRate::from_gbps(100.0), 0.030), Bytes(375_000_000.0));
        assert!(close(MATHIS_C, 1.5f64.sqrt(), 1e-15));
    }

    /// With timestamps the segment carries 8 948 bytes at MTU 9000: 8948·8·√1.5 /
    /// (0.03·√1e-6) = 2.92240 Gbps. Delayed ACKs take C to √(3/4): 8960·8·0.866025 /
    /// 3e-5 = 2.06922 Gbps, exactly √(1/2) of the ACK-per-segment figure.
    #[test]
    fn timestamps_and_delayed_acks() {
        let ts = mathis_limit(8948, MATHIS_C, 0.030, 1e-6).unwrap();
        assert!(close(ts.gbps(), 2.922_40, 5e-6), "{}", ts.gbps());
        let delayed = mathis_limit(8960, MATHIS_C_DELAYED, 0.030, 1e-6).unwrap();
        assert!(close(delayed.gbps(), 2.069_22, 5e-6), "{}", delayed.gbps());
        let per_packet = mathis_limit(8960, MATHIS_C, 0.030, 1e-6).unwrap();
        assert!(close(delayed.0 / per_packet.0, 0.5f64.sqrt(), 1e-15));
        assert!(close(MATHIS_C_DELAYED, 0.75f64.sqrt(), 1e-15));
    }

    #[test]
    fn no_loss_leaves_the_window_as_the_limit() {
        let window = Bytes(16.0 * 1_048_576.0);
        assert_eq!(mathis_limit(8960, MATHIS_C, 0.030, 0.0), None);
        assert_eq!(
            per_stream_rate(window, 8960, MATHIS_C, 0.030, 0.0),
            window_limit(window, 0.030)
        );
        // A tiny window on a clean path: the window wins even with loss.
        let small = Bytes(65_536.0);
        assert_eq!(
            per_stream_rate(small, 8960, MATHIS_C, 0.030, 1e-6),
            window_limit(small, 0.030)
        );
        assert_eq!(streams_needed(BitRate(0.0), window_limit(small, 0.03)), 0);
    }
}
