//! The history as people: a synthetic line list (generated persons, cards, contacts and their
//! events; no real person) whose derived figures equal the shipped history's, reproducible from
//! a seed.
//!
//! The plan reads the history's figures ([`plan::Given`]): every national figure of every day
//! and every figure of the 32 units it gives. Flows are completed where the history leaves them
//! out (a cumulative's difference, a stock's loss); what no flow can make (a cumulative that
//! does not grow by its flow, a stock that does not move by its flows, the balance that the
//! history itself breaks) is made by corrective events (a late report, a withdrawal, an outcome
//! corrected or withdrawn, a release withdrawn, a case transferred out) on exactly those days.
//! Figures the history gives for the nation but not per unit are spread over the units it does
//! not name that day, keeping back what a unit's later figures will need.
//!
//! The generator streams: each day's events are handed to the sink as they are made.

// The plan and the generator index parallel per-day, per-unit and per-slot tables.
#![allow(clippy::needless_range_loop)]

mod plan;

use std::collections::VecDeque;
use std::sync::Arc;

use chrono::{DateTime, NaiveTime, Utc};
use epiledger_core::{Date, Day, Measure, Origin, RegionCode, RegionId};

use crate::codes::{
    places, units, CaseOrigin, Classification, Country, Disease, Outcome, Severity, Sex,
};
use crate::derive::{derived_measures, Derivation};
use crate::event::{Body, CardFix, CardRef, CardReport, ContactReport, Event, Key, Text};
use crate::pseudonym::Pseudonymizer;
use plan::{outflows, series, Given, NATION};

/// What to simulate.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct SimOptions {
    /// The first day (default: the history's first).
    pub from: Option<Date>,
    /// The last day (default: the history's last).
    pub to: Option<Date>,
    /// The seed: the same seed gives the same file.
    pub seed: u64,
}

impl Default for SimOptions {
    fn default() -> Self {
        SimOptions {
            from: None,
            to: None,
            seed: 2020,
        }
    }
}

/// What a simulation made.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct SimSummary {
    /// The first simulated day (the day before it holds the opening: everything before).
    pub from: Option<Date>,
    /// The last simulated day.
    pub to: Option<Date>,
    /// Persons generated (one per card and per contact).
    pub persons: u64,
    /// Case cards.
    pub cards: u64,
    /// Close contacts.
    pub contacts: u64,
    /// Events.
    pub events: u64,
    /// Corrective events (late reports, withdrawals, corrections, transfers).
    pub corrective_events: u64,
    /// The days with corrective events.
    pub correction_days: Vec<Date>,
    /// Figures the plan could not make (should be none).
    pub shortfalls: Vec<String>,
}

/// A small reproducible generator (SplitMix64).
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }
    fn below(&mut self, n: u64) -> u64 {
        if n == 0 {
            0
        } else {
            self.next() % n
        }
    }
}

type Pool = VecDeque<u64>;

/// The cards and contacts of one unit and slot.
#[derive(Default)]
struct Cell {
    mild: Pool,
    severe: Pool,
    discharged: Vec<u64>,
    dead: Vec<u64>,
    transferred: Vec<u64>,
    asym: Pool,
    released: Vec<u64>,
    susp: Pool,
    excluded: Vec<u64>,
}

impl Cell {
    fn active(&self) -> i64 {
        (self.mild.len() + self.severe.len()) as i64
    }
}

const SLOTS: usize = 2;
const U: usize = 32;

/// Per unit and slot, a value per day.
type Grid = Vec<[[Option<i64>; SLOTS]; U]>;

/// The figures of the 32 units, split by slot, completed against their cumulatives.
struct UnitFixed {
    new: Grid,
    fa: Grid,
    clinical: Grid,
    dis: Grid,
    death: Grid,
    /// Whether a unit's discharges and deaths are given for all origins only (their split
    /// follows the unit's cases).
    outcome_all_only: Vec<[bool; U]>,
    susp_new: Grid,
    /// A unit's suspected cases at 24:00, where given (its exclusions follow from it).
    susp_stock: Grid,
    asym_new: Grid,
    asym_rel: Grid,
    severe: Grid,
    /// Corrections of confirmed, discharged, deaths cumulative (local slot), per unit.
    corr: Vec<[[i64; 3]; U]>,
    /// Corrections of suspected cumulative per unit.
    susp_corr: Vec<[i64; U]>,
    /// Whether a unit's confirmed, discharged or deaths cumulative is given on the day or later
    /// (its corrections are its own then).
    bound: Vec<[bool; U]>,
    /// The same for suspected cases (cumulative or current).
    susp_bound: Vec<[bool; U]>,
}

fn grid(n: usize) -> Grid {
    vec![[[None; SLOTS]; U]; n]
}

/// Splits a unit's all/imported/local figures into the two slots.
fn split(all: Option<i64>, imp: Option<i64>, loc: Option<i64>) -> [Option<i64>; SLOTS] {
    match (all, imp, loc) {
        (_, Some(i), Some(l)) => [Some(i), Some(l)],
        (Some(a), Some(i), None) => [Some(i), Some(a - i)],
        (Some(a), None, Some(l)) => [Some(a - l), Some(l)],
        (Some(a), None, None) => [Some(0), Some(a)],
        (None, i, l) => [i, l],
    }
}

fn unit_fixed(g: &Given, nat: &[Nation]) -> UnitFixed {
    let n = g.len();
    let mut f = UnitFixed {
        new: grid(n),
        fa: grid(n),
        clinical: grid(n),
        dis: grid(n),
        death: grid(n),
        outcome_all_only: vec![[false; U]; n],
        susp_new: grid(n),
        susp_stock: grid(n),
        asym_new: grid(n),
        asym_rel: grid(n),
        severe: grid(n),
        corr: vec![[[0; 3]; U]; n],
        susp_corr: vec![[0; U]; n],
        bound: vec![[false; U]; n],
        susp_bound: vec![[false; U]; n],
    };
    use Measure as Ms;
    // What the nation's completed flows leave to the units the history does not name.
    let flows = [
        Ms::ConfirmedNew,
        Ms::DischargedNew,
        Ms::DeathsNew,
        Ms::SuspectedNew,
    ];
    let mut rest: Vec<Vec<i64>> = flows
        .iter()
        .map(|m| {
            (0..n)
                .map(|i| {
                    let nt = &nat[i];
                    let total = match m {
                        Ms::ConfirmedNew => nt.new[0] + nt.new[1],
                        Ms::DischargedNew => nt.dis[0] + nt.dis[1],
                        Ms::DeathsNew => nt.death[0] + nt.death[1],
                        _ => nt.susp_new[0] + nt.susp_new[1],
                    };
                    let named: i64 = (0..U)
                        .map(|u| {
                            g.get(i, u, 0, *m).unwrap_or_else(|| {
                                g.get(i, u, 1, *m).unwrap_or(0) + g.get(i, u, 2, *m).unwrap_or(0)
                            })
                        })
                        .sum();
                    total - named
                })
                .collect()
        })
        .collect();
    let mut completed = |u: usize, flow: Ms, cum: Ms| {
        let k = flows
            .iter()
            .position(|m| *m == flow)
            .expect("a listed flow");
        let given = g.column(u, 0, flow);
        let (f, c) = series(&given, &g.column(u, 0, cum), Some(&rest[k]), true);
        for i in 0..n {
            if given[i].is_none() {
                if let Some(v) = f[i] {
                    rest[k][i] -= v;
                }
            }
        }
        (f, c)
    };
    // The units whose figures leave the fewest days open go first: they have the least choice.
    let open_days = |u: usize, flow: Ms, cum: Ms| -> (usize, usize) {
        let first = (0..n).find(|i| g.get(*i, u, 0, cum).is_some());
        let last = (0..n).rev().find(|i| g.get(*i, u, 0, cum).is_some());
        let open = last.map_or(0, |l| {
            (0..=l).filter(|i| g.get(*i, u, 0, flow).is_none()).count()
        });
        (first.unwrap_or(n), open)
    };
    let order = |flow: Ms, cum: Ms| {
        let mut v: Vec<usize> = (0..U).collect();
        v.sort_by_key(|u| open_days(*u, flow, cum));
        v
    };
    type Completed = (Vec<Option<i64>>, Vec<i64>);
    let mut done: Vec<[Completed; 4]> = (0..U)
        .map(|_| std::array::from_fn(|_| (Vec::new(), Vec::new())))
        .collect();
    for (k, (flow, cum)) in [
        (Ms::ConfirmedNew, Ms::ConfirmedCumulative),
        (Ms::DischargedNew, Ms::DischargedCumulative),
        (Ms::DeathsNew, Ms::DeathsCumulative),
        (Ms::SuspectedNew, Ms::SuspectedCumulative),
    ]
    .into_iter()
    .enumerate()
    {
        for u in order(flow, cum) {
            done[u][k] = completed(u, flow, cum);
        }
    }
    for u in 0..U {
        let [(new_all, c_new), (dis_all, c_dis), (death_all, c_death), (susp_all, c_susp)] =
            std::mem::replace(
                &mut done[u],
                std::array::from_fn(|_| (Vec::new(), Vec::new())),
            );
        let susp_stock = g.column(u, 0, Ms::SuspectedCurrent);
        // Severe cases: given, or from the day-on-day changes back from the first given.
        let mut severe = g.column(u, 0, Ms::SevereCurrent);
        for i in (0..n.saturating_sub(1)).rev() {
            if severe[i].is_none() {
                if let Some(next) = severe[i + 1] {
                    match (
                        g.get(i + 1, u, 0, Ms::SevereChange),
                        g.get(i, u, 0, Ms::SevereChange),
                    ) {
                        (Some(ch), _) => severe[i] = Some(next - ch),
                        // A run of changes ends the day before a given stock: no change between.
                        (None, Some(_)) => severe[i] = Some(next),
                        _ => {}
                    }
                }
            }
        }
        for i in 0..n {
            f.new[i][u] = split(
                new_all[i],
                g.get(i, u, 1, Ms::ConfirmedNew),
                g.get(i, u, 2, Ms::ConfirmedNew),
            );
            f.fa[i][u] = [
                g.get(i, u, 1, Ms::ConfirmedNewFromAsymptomatic),
                g.get(i, u, 2, Ms::ConfirmedNewFromAsymptomatic),
            ];
            f.clinical[i][u] = [None, g.get(i, u, 0, Ms::ConfirmedNewClinical)];
            f.dis[i][u] = split(
                dis_all[i],
                g.get(i, u, 1, Ms::DischargedNew),
                g.get(i, u, 2, Ms::DischargedNew),
            );
            f.death[i][u] = split(
                death_all[i],
                g.get(i, u, 1, Ms::DeathsNew),
                g.get(i, u, 2, Ms::DeathsNew),
            );
            f.outcome_all_only[i][u] = [Ms::DischargedNew, Ms::DeathsNew]
                .iter()
                .all(|m| g.get(i, u, 1, *m).is_none() && g.get(i, u, 2, *m).is_none())
                && (dis_all[i].is_some() || death_all[i].is_some());
            f.susp_new[i][u] = split(
                susp_all[i],
                g.get(i, u, 1, Ms::SuspectedNew),
                g.get(i, u, 2, Ms::SuspectedNew),
            );
            f.susp_stock[i][u] = [None, susp_stock[i]];
            f.asym_new[i][u] = split(None, None, g.get(i, u, 2, Ms::AsymptomaticNew));
            f.asym_rel[i][u] = split(None, None, g.get(i, u, 2, Ms::AsymptomaticReleased));
            f.severe[i][u] = match severe[i] {
                Some(s) => [Some(0), Some(s)],
                None => [None, None],
            };
            f.corr[i][u] = [c_new[i], c_dis[i], c_death[i]];
            f.susp_corr[i][u] = c_susp[i];
        }
        let mut later = false;
        let mut later_susp = false;
        for i in (0..n).rev() {
            later |= [
                Ms::ConfirmedCumulative,
                Ms::DischargedCumulative,
                Ms::DeathsCumulative,
                Ms::ConfirmedCurrent,
            ]
            .iter()
            .any(|m| g.get(i, u, 0, *m).is_some());
            later_susp |= g.get(i, u, 0, Ms::SuspectedCumulative).is_some();
            f.bound[i][u] = later;
            f.susp_bound[i][u] = later_susp;
        }
    }
    f
}

/// The national series per slot (0 imported, 1 local), every day.
#[derive(Default, Clone)]
struct Nation {
    new: [i64; 2],
    fa: [i64; 2],
    dis: [i64; 2],
    death: [i64; 2],
    /// Corrections of confirmed, discharged, deaths cumulative.
    corr: [[i64; 3]; 2],
    /// Cases transferred out at 24:00 (the balance's gap).
    transferred: [i64; 2],
    severe: [Option<i64>; 2],
    /// Whether the history splits the severe cases by origin that day.
    severe_split: bool,
    asym_new: [i64; 2],
    asym_tc: [i64; 2],
    asym_rel: [i64; 2],
    asym_corr: [i64; 2],
    susp_new: [i64; 2],
    susp_out: [i64; 2],
    susp_corr: [i64; 2],
    susp_cur_corr: [i64; 2],
    traced: i64,
    released: i64,
    became: i64,
    unreleased: i64,
    /// Contacts that became cases taken back under observation.
    unbecame: i64,
}

fn nation(g: &Given, shortfalls: &mut Vec<String>) -> Vec<Nation> {
    use Measure as Ms;
    let n = g.len();
    let col = |o: u8, m: Ms| g.column(NATION, o, m);
    let mut out = vec![Nation::default(); n];
    // Confirmed, discharged, deaths: all, then imported within all.
    let mut cums = [
        [vec![0i64; n], vec![0i64; n], vec![0i64; n]],
        [vec![0i64; n], vec![0i64; n], vec![0i64; n]],
    ];
    let families = [
        (Ms::ConfirmedNew, Ms::ConfirmedCumulative),
        (Ms::DischargedNew, Ms::DischargedCumulative),
        (Ms::DeathsNew, Ms::DeathsCumulative),
    ];
    let mut all_flows: Vec<Vec<i64>> = Vec::new();
    let mut all_corr: Vec<Vec<i64>> = Vec::new();
    for (k, (fm, cm)) in families.iter().enumerate() {
        let (f_all, c_all) = series(&col(0, *fm), &col(0, *cm), None, false);
        let f_all: Vec<i64> = f_all.into_iter().map(|x| x.unwrap_or(0)).collect();
        // Imported cases fit beside the units' figures that have no origin (taken as local).
        let room: Vec<i64> = (0..n)
            .map(|i| {
                let local: i64 = (0..U)
                    .filter(|u| g.get(i, *u, 1, *fm).is_none())
                    .filter_map(|u| g.get(i, u, 0, *fm))
                    .sum();
                f_all[i] - local
            })
            .collect();
        let (f_imp, c_imp) = series(&col(1, *fm), &col(1, *cm), Some(&room), false);
        let f_imp: Vec<i64> = f_imp.into_iter().map(|x| x.unwrap_or(0)).collect();
        let (mut run_all, mut run_imp) = (0i64, 0i64);
        for i in 0..n {
            let (a, ia) = (f_all[i], f_imp[i]);
            let (ca, ci) = (c_all[i], c_imp[i]);
            let slot = |o: &mut Nation, s: usize, flow: i64, corr: i64| {
                match k {
                    0 => o.new[s] = flow,
                    1 => o.dis[s] = flow,
                    _ => o.death[s] = flow,
                }
                o.corr[s][k] = corr;
            };
            slot(&mut out[i], 0, ia, ci);
            slot(&mut out[i], 1, a - ia, ca - ci);
            if a - ia < 0 {
                shortfalls.push(format!("{} {}: local flow below zero", g.dates[i], fm));
            }
            run_all += a + ca;
            run_imp += ia + ci;
            cums[0][k][i] = run_imp;
            cums[1][k][i] = run_all - run_imp;
        }
        all_flows.push(f_all);
        all_corr.push(c_all);
    }
    // The balance's gap: cases neither active, discharged nor dead (transferred out).
    let cur_all = col(0, Ms::ConfirmedCurrent);
    let cur_imp = col(1, Ms::ConfirmedCurrent);
    let (mut t_all, mut t_imp) = (0i64, 0i64);
    for i in 0..n {
        let bal = |s: usize| cums[s][0][i] - cums[s][1][i] - cums[s][2][i];
        if let Some(c) = cur_all[i] {
            t_all = bal(0) + bal(1) - c;
        }
        if let Some(c) = cur_imp[i] {
            t_imp = bal(0) - c;
        }
        out[i].transferred = [t_imp, t_all - t_imp];
    }
    // Part of the new cases: from asymptomatic infections.
    let fa_all = col(0, Ms::AsymptomaticToConfirmed);
    let fa_imp = col(1, Ms::AsymptomaticToConfirmed);
    let fa_imp2 = col(1, Ms::ConfirmedNewFromAsymptomatic);
    // Asymptomatic infections: net inflow against the stock, then split.
    let a_new = [col(0, Ms::AsymptomaticNew), col(1, Ms::AsymptomaticNew)];
    let a_tc = [
        fa_all.clone(),
        fa_imp
            .iter()
            .zip(&fa_imp2)
            .map(|(a, b)| a.or(*b))
            .collect::<Vec<_>>(),
    ];
    let a_rel = [
        col(0, Ms::AsymptomaticReleased),
        col(1, Ms::AsymptomaticReleased),
    ];
    let a_obs = [
        col(0, Ms::AsymptomaticUnderObservation),
        col(1, Ms::AsymptomaticUnderObservation),
    ];
    let mut asym = [
        [vec![0i64; n], vec![0i64; n], vec![0i64; n], vec![0i64; n]],
        [vec![0i64; n], vec![0i64; n], vec![0i64; n], vec![0i64; n]],
    ];
    for o in 0..2 {
        let net: Vec<Option<i64>> = (0..n)
            .map(|i| Some(a_new[o][i]? - a_tc[o][i]? - a_rel[o][i]?))
            .collect();
        // Imported infections fit within all new infections of the day.
        let cap = (o == 1).then(|| asym[0][0].clone());
        let (net, corr) = series(&net, &a_obs[o], cap.as_deref(), true);
        for i in 0..n {
            let net = net[i].unwrap_or(0);
            let (mut nw, mut tc, mut rl) = (a_new[o][i], a_tc[o][i], a_rel[o][i]);
            match (nw, tc, rl) {
                (Some(_), Some(_), Some(_)) => {}
                (Some(x), None, Some(r)) => tc = Some(x - r - net),
                (Some(x), Some(t), None) => rl = Some(x - t - net),
                (None, t, r) => {
                    let (t, r) = (t.unwrap_or(0), r.unwrap_or(0));
                    nw = Some(net + t + r);
                    tc = Some(t);
                    rl = Some(r);
                }
                (Some(x), None, None) => {
                    tc = Some(0);
                    rl = Some(x - net);
                }
            }
            let (nw, mut tc, rl) = (nw.unwrap_or(0), tc.unwrap_or(0), rl.unwrap_or(0));
            let mut c = corr[i];
            if tc < 0 {
                // The stock rose by more than its flows allow: late infections.
                c -= tc;
                tc = 0;
            }
            asym[o][0][i] = nw;
            asym[o][1][i] = tc;
            asym[o][2][i] = rl;
            asym[o][3][i] = c;
        }
    }
    for i in 0..n {
        for k in 0..4 {
            let imp = asym[1][k][i];
            let loc = asym[0][k][i] - imp;
            let a = match k {
                0 => &mut out[i].asym_new,
                1 => &mut out[i].asym_tc,
                2 => &mut out[i].asym_rel,
                _ => &mut out[i].asym_corr,
            };
            *a = [imp, loc];
        }
        // Where the history does not split the reclassified infections, the imported ones are
        // those the local new cases cannot hold.
        let excess = out[i].asym_tc[1]
            .min(out[i].new[0] - out[i].asym_tc[0])
            .min(out[i].asym_new[1]);
        if excess > 0
            && g.get(i, NATION, 1, Ms::AsymptomaticToConfirmed).is_none()
            && g.get(i, NATION, 1, Ms::AsymptomaticNew).is_none()
        {
            out[i].asym_tc[0] += excess;
            out[i].asym_tc[1] -= excess;
            out[i].asym_new[0] += excess;
            out[i].asym_new[1] -= excess;
        }
        // The part of new cases from asymptomatic infections is the asymptomatic outflow.
        out[i].fa = out[i].asym_tc;
        if out[i].fa[0] > out[i].new[0] || out[i].fa[1] > out[i].new[1] {
            shortfalls.push(format!("{}: more reclassified than new cases", g.dates[i]));
        }
    }
    // Suspected cases.
    let (s_new, s_corr) = series(
        &col(0, Ms::SuspectedNew),
        &col(0, Ms::SuspectedCumulative),
        None,
        false,
    );
    let mut s_new: Vec<i64> = s_new.into_iter().map(|x| x.unwrap_or(0)).collect();
    // The opening of a range holds the suspected cases at its start.
    if let Some(s0) = g.get(0, NATION, 0, Ms::SuspectedCurrent) {
        s_new[0] = s_new[0].max(s0);
    }
    let s_in: Vec<i64> = (0..n).map(|i| s_new[i] + s_corr[i]).collect();
    let (s_out, s_cur_corr) = outflows(&col(0, Ms::SuspectedCurrent), &s_in, &vec![None; n]);
    // Imported suspected: given new, else the stock's rise; the first stock filled backwards.
    let s_cur_imp = col(1, Ms::SuspectedCurrent);
    let s_new_imp_given = col(1, Ms::SuspectedNew);
    let mut s_new_imp = vec![None; n];
    for i in 0..n {
        s_new_imp[i] = s_new_imp_given[i].or_else(|| {
            let prev = if i == 0 { None } else { s_cur_imp[i - 1] };
            match (prev, s_cur_imp[i]) {
                (Some(p), Some(c)) => Some((c - p).max(0).min(s_new[i])),
                _ => None,
            }
        });
    }
    if let Some(s0) = s_cur_imp[0] {
        s_new_imp[0] = Some(s0.min(s_new[0]));
    }
    let first_stock = s_cur_imp.iter().position(Option::is_some);
    let mut cum_target = vec![None; n];
    if let Some(t) = first_stock {
        cum_target[t] = s_cur_imp[t];
    }
    let (s_new_imp, _) = series(&s_new_imp, &cum_target, Some(&s_new), false);
    let s_new_imp: Vec<i64> = s_new_imp.into_iter().map(|x| x.unwrap_or(0)).collect();
    let (s_out_imp, s_cur_corr_imp) = outflows(&s_cur_imp, &s_new_imp, &vec![None; n]);
    // Local: the stock of all less the imported, where both are given.
    let s_cur_all = col(0, Ms::SuspectedCurrent);
    let s_cur_loc: Vec<Option<i64>> = (0..n)
        .map(|i| match (s_cur_all[i], s_cur_imp[i]) {
            (Some(a), Some(m)) => Some(a - m),
            (Some(a), None) if first_stock.is_none_or(|f| i < f) => {
                Some(a - s_new_imp[..=i].iter().sum::<i64>())
            }
            _ => None,
        })
        .collect();
    let s_in_loc: Vec<i64> = (0..n).map(|i| s_in[i] - s_new_imp[i]).collect();
    let (s_out_loc, s_cur_corr_loc) = outflows(&s_cur_loc, &s_in_loc, &vec![None; n]);
    let _ = (s_out, s_cur_corr);
    for i in 0..n {
        out[i].susp_new = [s_new_imp[i], s_new[i] - s_new_imp[i]];
        out[i].susp_out = [s_out_imp[i], s_out_loc[i]];
        out[i].susp_corr = [0, s_corr[i]];
        out[i].susp_cur_corr = [s_cur_corr_imp[i], s_cur_corr_loc[i]];
        if out[i].susp_new[1] < 0 || out[i].susp_out[1] < 0 {
            shortfalls.push(format!("{}: local suspected flows below zero", g.dates[i]));
        }
    }
    // Severe cases.
    let sev = [col(1, Ms::SevereCurrent), col(0, Ms::SevereCurrent)];
    let change = col(0, Ms::SevereChange);
    let mut s_all = sev[1].clone();
    if s_all.len() > 1 && s_all[0].is_none() {
        if let (Some(s1), Some(c1)) = (s_all[1], change[1]) {
            s_all[0] = Some(s1 - c1);
        }
    }
    for i in 1..n {
        if s_all[i].is_none() {
            if let (Some(p), Some(c)) = (s_all[i - 1], change[i]) {
                s_all[i] = Some(p + c);
            }
        }
    }
    for i in 0..n {
        let imp = sev[0][i];
        out[i].severe_split = imp.is_some();
        out[i].severe = match (s_all[i], imp) {
            (Some(a), Some(m)) => [Some(m), Some(a - m)],
            (Some(a), None) => [Some(0), Some(a)],
            _ => [None, None],
        };
    }
    // Contacts.
    let traced = col(0, Ms::ContactsTracedCumulative);
    let obs = col(0, Ms::ContactsUnderObservation);
    let rel = col(0, Ms::ContactsReleased);
    let rel_cum = col(0, Ms::ContactsReleasedCumulative);
    let first = (0..n).find(|i| traced[*i].is_some() && obs[*i].is_some());
    if let Some(f) = first {
        // The opening: everything traced before the first figures.
        let (t, o) = (traced[f].unwrap_or(0), obs[f].unwrap_or(0));
        let rc = rel_cum[f].unwrap_or(t - o);
        out[0].traced = t;
        out[0].released = rc;
        out[0].became = t - o - rc;
        let (mut pt, mut po, mut prc) = (t, o, rc);
        for i in f + 1..n {
            let (Some(t), Some(o)) = (traced[i], obs[i]) else {
                continue;
            };
            let tn = t - pt;
            let d_o = o - po;
            let (released, k) = match (rel[i], rel_cum[i]) {
                (Some(r), _) => (r, (r + d_o - tn).max(0)),
                (None, Some(c)) => {
                    let k = (prc - c).max(0);
                    (c - prc + k, k)
                }
                (None, None) => (0, (d_o - tn).max(0)),
            };
            let became = tn + k - released - d_o;
            out[i].traced = tn;
            out[i].released = released;
            out[i].became = became.max(0);
            out[i].unreleased = k;
            out[i].unbecame = (-became).max(0);
            pt = t;
            po = o;
            prc = rel_cum[i].unwrap_or(prc + released - k);
        }
    }
    out
}

/// What needs keeping back in a unit for its later figures: `need[i]` is the stock it must still
/// have at the end of day `i`, for the given outflows of the next `horizon` days less the given
/// inflows of those days.
fn reserve(
    n: usize,
    horizon: usize,
    out: impl Fn(usize) -> i64,
    inflow: impl Fn(usize) -> i64,
) -> Vec<i64> {
    let net: Vec<i64> = (0..n).map(|i| out(i) - inflow(i)).collect();
    let mut need = vec![0i64; n];
    for i in 0..n {
        let mut run = 0i64;
        let mut best = 0i64;
        for x in net.iter().skip(i + 1).take(horizon) {
            run += x;
            best = best.max(run);
        }
        need[i] = best;
    }
    need
}

/// The generator's state and its sink.
struct Gen<'a> {
    rng: Rng,
    cells: Vec<[Cell; SLOTS]>,
    contacts_obs: VecDeque<(u64, u8)>,
    contacts_rel: Vec<(u64, u8)>,
    contacts_became: Vec<(u64, u8)>,
    counties: Vec<Vec<RegionCode>>,
    last_card: [Option<u64>; U],
    next_card: u64,
    next_contact: u64,
    next_event: u64,
    author: Text,
    reasons: [Text; 9],
    pseudo: Pseudonymizer,
    day: Date,
    recorded: DateTime<Utc>,
    seq: u32,
    day_new_cards: [u32; U],
    summary: SimSummary,
    corrective_today: bool,
    sink: &'a mut dyn FnMut(&Event) -> std::io::Result<()>,
}

const R_DUPLICATE: usize = 0;
const R_LATE: usize = 1;
const R_DIED: usize = 2;
const R_OUTCOME: usize = 3;
const R_TRANSFER: usize = 4;
const R_BACK: usize = 5;
const R_RELEASE: usize = 6;
const R_EXCLUSION: usize = 7;
const R_RESIDENCE: usize = 8;

const COUNTRIES: [&str; 12] = [
    "US", "GB", "RU", "PH", "JP", "KR", "FR", "DE", "TH", "MY", "HK", "IT",
];

impl Gen<'_> {
    fn emit(&mut self, reason: Option<usize>, body: Body) -> std::io::Result<()> {
        self.next_event += 1;
        self.seq += 1;
        let corrective = is_corrective(&body, self.day);
        if corrective {
            self.summary.corrective_events += 1;
            self.corrective_today = true;
        }
        let e = Event {
            id: Key::Num(self.next_event),
            recorded: self.recorded + chrono::Duration::seconds(i64::from(self.seq % 36_000)),
            author: self.author.clone(),
            unit: units()[self.unit_of(&body)],
            reason: reason.map(|r| self.reasons[r].clone()),
            body,
        };
        self.summary.events += 1;
        (self.sink)(&e)
    }

    fn unit_of(&self, body: &Body) -> usize {
        // Every simulated card and contact is reported by the unit it lives in; the card's
        // number carries its unit in its low bits.
        match body {
            Body::Card(c) => unit_of_key(&c.card),
            Body::Reclassified { card, .. }
            | Body::SeverityChanged { card, .. }
            | Body::Outcome { card, .. }
            | Body::OutcomeWithdrawn { card }
            | Body::Corrected { card, .. }
            | Body::Withdrawn { card }
            | Body::Merged { card, .. } => unit_of_key(card),
            Body::ContactTraced(c) => unit_of_key(&c.contact),
            Body::ContactReleased { contact, .. }
            | Body::ContactBecameCase { contact, .. }
            | Body::ContactReleaseWithdrawn { contact }
            | Body::ContactWithdrawn { contact } => unit_of_key(contact),
        }
    }

    fn county(&mut self, u: usize) -> RegionCode {
        let list = &self.counties[u];
        list[self.rng.below(list.len() as u64) as usize]
    }

    /// A new card in unit `u`, slot `s`, audited `audit`.
    fn card(
        &mut self,
        u: usize,
        s: usize,
        class: Classification,
        audit: Date,
    ) -> std::io::Result<u64> {
        self.next_card += 1;
        let id = self.next_card * 32 + u as u64;
        self.summary.cards += 1;
        self.summary.persons += 1;
        let residence = self.county(u);
        let origin = if s == 0 {
            CaseOrigin::Imported
        } else {
            CaseOrigin::Local
        };
        let country = (s == 0).then(|| {
            let c = COUNTRIES[self.rng.below(COUNTRIES.len() as u64) as usize];
            c.parse::<Country>().expect("a listed code")
        });
        let r = self.rng.next();
        let age = (r % 90) as u8;
        let sex = if r & (1 << 20) == 0 {
            Sex::Male
        } else {
            Sex::Female
        };
        let onset = (class != Classification::Asymptomatic)
            .then_some(crate::derive::date_add(audit, -(((r >> 8) % 6) as i64)));
        let mild = if r & (1 << 21) == 0 {
            Severity::Mild
        } else {
            Severity::Moderate
        };
        let severity = class.is_confirmed().then_some(mild);
        let person = self
            .pseudo
            .pseudonym(&format!("SIM{:015}", self.next_card))
            .ok();
        self.last_card[u] = Some(id);
        self.day_new_cards[u] += 1;
        self.emit(
            None,
            Body::Card(CardReport {
                card: Key::Num(id),
                disease: Disease::COVID19,
                classification: class,
                severity,
                origin,
                country,
                residence,
                institution: residence,
                sex: Some(sex),
                age: Some(age),
                onset,
                diagnosis: Some(audit),
                report: audit,
                audit,
                person,
                name: None,
                phone: None,
            }),
        )?;
        Ok(id)
    }

    fn outcome(
        &mut self,
        id: u64,
        outcome: Outcome,
        date: Date,
        reason: Option<usize>,
    ) -> std::io::Result<()> {
        self.emit(
            reason,
            Body::Outcome {
                card: Key::Num(id),
                outcome,
                date,
            },
        )
    }

    /// Withdraws a card (删除), as a duplicate report.
    fn withdraw(&mut self, id: u64) -> std::io::Result<()> {
        let u = unit_of_key(&Key::Num(id));
        if self.last_card[u] == Some(id) {
            self.last_card[u] = None;
        }
        self.emit(Some(R_DUPLICATE), Body::Withdrawn { card: Key::Num(id) })
    }

    fn severity(&mut self, id: u64, severity: Severity) -> std::io::Result<()> {
        let date = self.day;
        self.emit(
            None,
            Body::SeverityChanged {
                card: Key::Num(id),
                severity,
                date,
            },
        )
    }
}

fn unit_of_key(k: &Key) -> usize {
    match k {
        Key::Num(n) => (n % 32) as usize,
        Key::Text(_) => 0,
    }
}

fn is_corrective(body: &Body, day: Date) -> bool {
    match body {
        Body::Card(c) => c.audit != day,
        Body::Reclassified { date, .. }
        | Body::SeverityChanged { date, .. }
        | Body::ContactReleased { date, .. }
        | Body::ContactBecameCase { date, .. } => *date != day,
        Body::Outcome { outcome, date, .. } => *date != day || *outcome == Outcome::TransferredOut,
        Body::ContactTraced(c) => c.traced != day,
        _ => true,
    }
}

/// Simulates the history from `opts.from` to `opts.to` as events, handed to `sink` in order.
pub fn simulate(
    history: &[Day],
    opts: &SimOptions,
    sink: &mut dyn FnMut(&Event) -> std::io::Result<()>,
) -> std::io::Result<SimSummary> {
    let first = history.iter().filter_map(|d| d.date).min();
    let last = history.iter().filter_map(|d| d.date).max();
    let (Some(first), Some(last)) = (first, last) else {
        return Ok(SimSummary::default());
    };
    let from = opts.from.unwrap_or(first).max(first);
    let to = opts.to.unwrap_or(last).min(last);
    let g = Given::new(history, from, to);
    let n = g.len();
    let mut shortfalls = Vec::new();
    let nat = nation(&g, &mut shortfalls);
    let fx = unit_fixed(&g, &nat);
    // What each unit must keep back for its later figures.
    let keep_active: Vec<[Vec<i64>; SLOTS]> = (0..U)
        .map(|u| {
            std::array::from_fn(|s| {
                reserve(
                    n,
                    n,
                    |i| {
                        let [rc, rd, rx] = fx.corr[i][u];
                        let corrected = if s == 1 { (rd + rx - rc).max(0) } else { 0 };
                        fx.dis[i][u][s].unwrap_or(0) + fx.death[i][u][s].unwrap_or(0) + corrected
                    },
                    |i| fx.new[i][u][s].unwrap_or(0),
                )
            })
        })
        .collect();
    // The reclassifications the history gives for the nation only, expected in the units whose
    // new cases can hold them (in proportion to that room).
    let mut fa_demand = vec![[[0i64; SLOTS]; U]; n];
    for i in 0..n {
        for s in 0..SLOTS {
            let free = nat[i].fa[s] - (0..U).filter_map(|u| fx.fa[i][u][s]).sum::<i64>();
            if free <= 0 {
                continue;
            }
            let room: Vec<i64> = (0..U)
                .map(|u| match (fx.new[i][u][s], fx.fa[i][u][s]) {
                    (Some(x), None) => (x - fx.clinical[i][u][s].unwrap_or(0)).max(0),
                    _ => 0,
                })
                .collect();
            let total: i64 = room.iter().sum();
            if total == 0 {
                continue;
            }
            for u in 0..U {
                // Rounded up: better to keep one too many.
                fa_demand[i][u][s] = ((free * room[u]) + total - 1) / total;
            }
        }
    }
    let keep_asym: Vec<[Vec<i64>; SLOTS]> = (0..U)
        .map(|u| {
            std::array::from_fn(|s| {
                reserve(
                    n,
                    // Local infections are given per unit from 2021: keep for the whole future;
                    // imported ones are not, keep for the three weeks an infection is observed.
                    if s == 1 { 120 } else { 21 },
                    |i| {
                        fx.fa[i][u][s].unwrap_or(fa_demand[i][u][s])
                            + fx.asym_rel[i][u][s].unwrap_or(0)
                    },
                    |i| fx.asym_new[i][u][s].unwrap_or(0),
                )
            })
        })
        .collect();
    // A unit whose suspected cases are given keeps what its next figure needs beyond the new
    // cases it will have by then.
    let keep_susp: Vec<Vec<i64>> = (0..U)
        .map(|u| {
            let mut keep = vec![0i64; n];
            let mut need: Option<i64> = None;
            for i in (0..n).rev() {
                keep[i] = need.unwrap_or(0).max(0);
                let inflow = fx.susp_new[i][u][1].unwrap_or(0);
                need = match (fx.susp_stock[i][u][1], need) {
                    (Some(t), Some(nd)) => Some(t.max(nd - inflow)),
                    (Some(t), None) => Some(t),
                    (None, Some(nd)) => Some(nd - inflow),
                    (None, None) => None,
                };
                // The stock at the end of day i − 1 must be the need less day i's inflows.
                need = need.map(|x| {
                    x - if fx.susp_stock[i][u][1].is_some() {
                        inflow
                    } else {
                        0
                    }
                });
            }
            keep
        })
        .collect();

    let counties: Vec<Vec<RegionCode>> = units()
        .iter()
        .map(|unit| {
            let v: Vec<RegionCode> = places()
                .iter()
                .copied()
                .filter(|p| p.province() == *unit)
                .collect();
            if v.is_empty() {
                vec![*unit]
            } else {
                v
            }
        })
        .collect();
    let text = |s: &str| -> Text { Arc::from(s) };
    let mut gen = Gen {
        rng: Rng(opts.seed ^ 0x05ee_d0fc_a5e5),
        cells: (0..U).map(|_| [Cell::default(), Cell::default()]).collect(),
        contacts_obs: VecDeque::new(),
        contacts_rel: Vec::new(),
        contacts_became: Vec::new(),
        counties,
        last_card: [None; U],
        next_card: 0,
        next_contact: 0,
        next_event: 0,
        author: text("simulate"),
        reasons: [
            text("duplicate report (重复报告)"),
            text("late report (补报)"),
            text("death found on review (订正为死亡)"),
            text("outcome recorded in error (订正)"),
            text("transferred out (转出)"),
            text("transfer recorded in error (订正)"),
            text("end of observation recorded in error (订正)"),
            text("exclusion recorded in error (订正)"),
            text("residence corrected (订正现住址)"),
        ],
        pseudo: Pseudonymizer::new(format!("epiledger-simulate-{:016x}", opts.seed).as_bytes())
            .expect("a long key"),
        day: g.dates[0],
        recorded: g.dates[0].at_beijing(NaiveTime::from_hms_opt(8, 0, 0).expect("a time")),
        seq: 0,
        day_new_cards: [0; U],
        summary: SimSummary {
            from: Some(from),
            to: Some(to),
            ..SimSummary::default()
        },
        corrective_today: false,
        sink,
    };
    for i in 0..n {
        let day = g.dates[i];
        gen.day = day;
        gen.recorded = day.at_beijing(NaiveTime::from_hms_opt(8, 0, 0).expect("a time"));
        gen.seq = 0;
        gen.day_new_cards = [0; U];
        gen.corrective_today = false;
        let yesterday = crate::derive::date_add(day, -1);
        let nt = &nat[i];
        // ---- corrections of confirmed cases, discharges and deaths ----
        for s in 0..SLOTS {
            let mut rest = nt.corr[s];
            let mut per_unit: Vec<(usize, [i64; 3])> = Vec::new();
            if s == 1 {
                for u in 0..U {
                    let c = fx.corr[i][u];
                    if c != [0; 3] {
                        per_unit.push((u, c));
                        for k in 0..3 {
                            rest[k] -= c[k];
                        }
                    }
                }
            }
            if rest != [0; 3] {
                let u = pick_correction_unit(
                    &g,
                    i,
                    &gen.cells,
                    s,
                    &fx.bound[i],
                    &[
                        Measure::ConfirmedCumulative,
                        Measure::ConfirmedNew,
                        Measure::DischargedCumulative,
                        Measure::DeathsCumulative,
                        Measure::ConfirmedCurrent,
                    ],
                    &per_unit,
                );
                match per_unit.iter_mut().find(|p| p.0 == u) {
                    Some(p) => {
                        for k in 0..3 {
                            p.1[k] += rest[k];
                        }
                    }
                    None => per_unit.push((u, rest)),
                }
            }
            for (u, c) in per_unit {
                correct_cases(&mut gen, u, s, c, yesterday, &mut shortfalls)?;
            }
            // Transfers out and back.
            let before = if i == 0 { 0 } else { nat[i - 1].transferred[s] };
            let mut delta = nt.transferred[s] - before;
            while delta > 0 {
                let u = (0..U)
                    .max_by_key(|u| gen.cells[*u][s].mild.len())
                    .unwrap_or(0);
                let Some(id) = gen.cells[u][s].mild.pop_back() else {
                    shortfalls.push(format!("{day}: no case to transfer out"));
                    break;
                };
                gen.outcome(id, Outcome::TransferredOut, day, Some(R_TRANSFER))?;
                gen.cells[u][s].transferred.push(id);
                delta -= 1;
            }
            while delta < 0 {
                let Some(u) = (0..U).find(|u| !gen.cells[*u][s].transferred.is_empty()) else {
                    shortfalls.push(format!("{day}: no transferred case to take back"));
                    break;
                };
                let id = gen.cells[u][s].transferred.pop().expect("not empty");
                gen.emit(Some(R_BACK), Body::OutcomeWithdrawn { card: Key::Num(id) })?;
                gen.cells[u][s].mild.push_back(id);
                delta += 1;
            }
        }

        // ---- which units' infections become cases today ----
        // A unit's reclassified infections are among its new cases: they go where the new
        // cases are, taken from the unit's infections, or from today's new infections of a unit
        // whose new infections the history leaves open.
        let mut fa_plan = [[0i64; U]; SLOTS];
        let mut forced_asym = [[0i64; U]; SLOTS];
        let mut moves = [[0i64; U]; SLOTS];
        for s in 0..SLOTS {
            let fa = &mut fa_plan[s];
            for u in 0..U {
                fa[u] = fx.fa[i][u][s].unwrap_or(0);
            }
            let fixed_fa: i64 = (0..U).filter_map(|u| fx.fa[i][u][s]).sum();
            let mut asym_budget =
                nt.asym_new[s] - (0..U).filter_map(|u| fx.asym_new[i][u][s]).sum::<i64>();
            // A unit's own reclassifications beyond its infections take today's new ones.
            for u in 0..U {
                if let Some(f) = fx.fa[i][u][s] {
                    let mut deficit = (f - gen.cells[u][s].asym.len() as i64).max(0);
                    if fx.asym_new[i][u][s].is_none() {
                        let today = deficit.min(asym_budget.max(0));
                        forced_asym[s][u] += today;
                        asym_budget -= today;
                        deficit -= today;
                    }
                    // The unit's figures do not balance: its infections were counted elsewhere.
                    moves[s][u] += deficit;
                }
            }
            let mut rest = nt.fa[s] - fixed_fa;
            if rest < 0 {
                shortfalls.push(format!(
                    "{day}: units' reclassifications exceed the nation's"
                ));
                rest = 0;
            }
            let mut new_budget = nt.new[s]
                - (0..U).filter_map(|u| fx.new[i][u][s]).sum::<i64>()
                - (0..U)
                    .filter(|u| fx.new[i][*u][s].is_none())
                    .map(|u| fx.clinical[i][u][s].unwrap_or(0) + fa[u])
                    .sum::<i64>();
            while rest > 0 {
                let cand = (0..U)
                    .filter(|u| fx.fa[i][*u][s].is_none())
                    .map(|u| {
                        // What a unit keeps back is kept for exactly this: no reserve here.
                        let stock =
                            (gen.cells[u][s].asym.len() as i64 - fa[u] + forced_asym[s][u]).max(0);
                        let today = if fx.asym_new[i][u][s].is_none() {
                            asym_budget.max(0)
                        } else {
                            0
                        };
                        let room_new = match fx.new[i][u][s] {
                            Some(x) => x - fx.clinical[i][u][s].unwrap_or(0) - fa[u],
                            None => new_budget,
                        };
                        // Units with their own infections first, then those that can take
                        // today's new ones.
                        let room = (stock + today).min(room_new);
                        // Infections a unit does not keep back for its own later figures first.
                        let spare = stock - keep_asym[u][s][i] > 0;
                        (
                            u,
                            room,
                            (spare, stock.min(room_new) > 0),
                            fx.new[i][u][s].is_some(),
                        )
                    })
                    .filter(|c| c.1 > 0)
                    .max_by_key(|c| (c.3, c.2, c.1));
                let Some((u, room, _, fixed)) = cand else {
                    // No unit with room has an infection: the infections were counted where the
                    // cases are not; their residence is corrected.
                    let target = (0..U)
                        .filter(|u| fx.fa[i][*u][s].is_none())
                        .filter_map(|u| {
                            fx.new[i][u][s]
                                .map(|x| (u, x - fx.clinical[i][u][s].unwrap_or(0) - fa[u]))
                        })
                        .filter(|c| c.1 > 0)
                        .max_by_key(|c| c.1);
                    let Some((u, room)) = target else {
                        shortfalls.push(format!(
                            "{day}: {rest} reclassifications without an infection to take"
                        ));
                        break;
                    };
                    let take = rest.min(room);
                    moves[s][u] += take;
                    fa[u] += take;
                    rest -= take;
                    continue;
                };
                let take = rest.min(room);
                let stock = (gen.cells[u][s].asym.len() as i64 - fa[u] + forced_asym[s][u]).max(0);
                let forced = (take - stock).max(0);
                forced_asym[s][u] += forced;
                asym_budget -= forced;
                if !fixed {
                    new_budget -= take;
                }
                fa[u] += take;
                rest -= take;
            }
        }

        for s in 0..SLOTS {
            for u in 0..U {
                for _ in 0..moves[s][u] {
                    let donor = (0..U)
                        .filter(|d| *d != u && !gen.cells[*d][s].asym.is_empty())
                        .max_by_key(|d| gen.cells[*d][s].asym.len() as i64 - keep_asym[*d][s][i]);
                    let Some(d) = donor else {
                        shortfalls.push(format!("{day}: no infection to move to unit {u}"));
                        break;
                    };
                    let id = gen.cells[d][s].asym.pop_back().expect("not empty");
                    let residence = gen.county(u);
                    gen.emit(
                        Some(R_RESIDENCE),
                        Body::Corrected {
                            card: Key::Num(id),
                            fix: CardFix {
                                residence: Some(residence),
                                ..CardFix::default()
                            },
                        },
                    )?;
                    gen.cells[u][s].asym.push_back(id);
                }
            }
        }

        // ---- asymptomatic infections: corrections and new ----
        for s in 0..SLOTS {
            let c = nt.asym_corr[s];
            if c != 0 {
                let u = pick_correction_unit(
                    &g,
                    i,
                    &gen.cells,
                    s,
                    &[false; U],
                    &[
                        Measure::AsymptomaticUnderObservation,
                        Measure::AsymptomaticNew,
                    ],
                    &[],
                );
                if c > 0 {
                    for _ in 0..c {
                        let id = gen.card(u, s, Classification::Asymptomatic, yesterday)?;
                        gen.cells[u][s].asym.push_back(id);
                    }
                } else {
                    // From the unit named, then from those with the most infections.
                    let mut order: Vec<usize> = (0..U).filter(|x| *x != u).collect();
                    order.sort_by_key(|x| std::cmp::Reverse(gen.cells[*x][s].asym.len()));
                    order.insert(0, u);
                    let mut left = -c;
                    for x in order {
                        while left > 0 {
                            let Some(id) = gen.cells[x][s].asym.pop_back() else {
                                break;
                            };
                            gen.withdraw(id)?;
                            left -= 1;
                        }
                    }
                    if left > 0 {
                        shortfalls.push(format!(
                            "{day}: {left} infections to withdraw beyond every unit's"
                        ));
                    }
                }
            }
            let forced: i64 = forced_asym[s].iter().sum();
            let total = nt.asym_new[s] - forced;
            // Infections go where the cases of the coming two weeks are.
            let mut alloc = allocate_weighted(
                &mut gen.rng,
                total,
                |u| fx.asym_new[i][u][s],
                |u| {
                    (i + 1..(i + 15).min(n))
                        .map(|x| {
                            fx.new[x][u][s].unwrap_or(0).max(0) as u64 * 1000
                                + fx.fa[x][u][s].unwrap_or(fa_demand[x][u][s]).max(0) as u64 * 200
                        })
                        .sum::<u64>()
                        + 1
                },
                &opening_need(i, |u| keep_asym[u][s][0]),
                &mut shortfalls,
                day,
                "asymptomatic_new",
            );
            alloc.extend(
                (0..U)
                    .filter(|u| forced_asym[s][*u] > 0)
                    .map(|u| (u, forced_asym[s][u])),
            );
            for (u, k) in alloc {
                for _ in 0..k {
                    let id = gen.card(u, s, Classification::Asymptomatic, day)?;
                    gen.cells[u][s].asym.push_back(id);
                }
            }
        }

        // ---- suspected cases ----
        for s in 0..SLOTS {
            let c = nt.susp_corr[s];
            let mut per_unit: Vec<(usize, i64)> = Vec::new();
            let mut rest = c;
            if s == 1 {
                for u in 0..U {
                    if fx.susp_corr[i][u] != 0 {
                        per_unit.push((u, fx.susp_corr[i][u]));
                        rest -= fx.susp_corr[i][u];
                    }
                }
            }
            if rest > 0 {
                let u = (0..U)
                    .filter(|u| !fx.susp_bound[i][*u])
                    .max_by_key(|u| gen.cells[*u][s].susp.len())
                    .unwrap_or(0);
                per_unit.push((u, rest));
            }
            if rest < 0 {
                let mut order: Vec<usize> = (0..U).filter(|u| !fx.susp_bound[i][*u]).collect();
                order.sort_by_key(|u| std::cmp::Reverse(gen.cells[*u][s].susp.len()));
                for u in order {
                    if rest == 0 {
                        break;
                    }
                    let take = (-rest).min(gen.cells[u][s].susp.len() as i64);
                    if take > 0 {
                        per_unit.push((u, -take));
                        rest += take;
                    }
                }
                if rest < 0 {
                    shortfalls.push(format!(
                        "{day}: {} suspected cases to withdraw beyond every unit's",
                        -rest
                    ));
                }
            }
            for (u, c) in per_unit {
                if c > 0 {
                    for _ in 0..c {
                        let id = gen.card(u, s, Classification::Suspected, yesterday)?;
                        gen.cells[u][s].susp.push_back(id);
                    }
                } else {
                    for _ in 0..-c {
                        let Some(id) = gen.cells[u][s].susp.pop_back() else {
                            shortfalls.push(format!("{day}: no suspected case to withdraw"));
                            break;
                        };
                        gen.withdraw(id)?;
                    }
                }
            }
            // A stock that rose more than its inflows: exclusions taken back.
            for _ in 0..nt.susp_cur_corr[s].max(0) {
                let Some(u) = (0..U).find(|u| !gen.cells[*u][s].excluded.is_empty()) else {
                    shortfalls.push(format!("{day}: no exclusion to take back"));
                    break;
                };
                let id = gen.cells[u][s].excluded.pop().expect("not empty");
                gen.emit(
                    Some(R_EXCLUSION),
                    Body::OutcomeWithdrawn { card: Key::Num(id) },
                )?;
                gen.cells[u][s].susp.push_back(id);
            }
            let alloc = allocate_in(
                &mut gen.rng,
                nt.susp_new[s],
                |u| fx.susp_new[i][u][s],
                &mut shortfalls,
                day,
                "suspected_new",
            );
            for (u, k) in alloc {
                for _ in 0..k {
                    let id = gen.card(u, s, Classification::Suspected, day)?;
                    gen.cells[u][s].susp.push_back(id);
                }
            }
            let targets: Vec<Option<i64>> = (0..U)
                .map(|u| fx.susp_stock[i][u][s].map(|t| gen.cells[u][s].susp.len() as i64 - t))
                .collect();
            let out = allocate_out(
                nt.susp_out[s] + nt.susp_cur_corr[s].min(0),
                |u| targets[u],
                |u| gen.cells[u][s].susp.len() as i64 - if s == 1 { keep_susp[u][i] } else { 0 },
                |u| gen.cells[u][s].susp.len() as i64,
                &mut shortfalls,
                day,
                "suspected excluded",
            );
            for (u, k) in out {
                for _ in 0..k {
                    let Some(id) = gen.cells[u][s].susp.pop_front() else {
                        shortfalls.push(format!("{day}: no suspected case to exclude"));
                        break;
                    };
                    gen.outcome(id, Outcome::Excluded, day, None)?;
                    gen.cells[u][s].excluded.push(id);
                }
            }
        }

        // ---- confirmed cases: new, from asymptomatic infections, clinical ----
        for s in 0..SLOTS {
            let fa = fa_plan[s];
            // New cases: fixed units, the rest spread over the free ones.
            let fixed_new: i64 = (0..U).filter_map(|u| fx.new[i][u][s]).sum();
            let mandatory: i64 = (0..U)
                .filter(|u| fx.new[i][*u][s].is_none())
                .map(|u| fa[u] + fx.clinical[i][u][s].unwrap_or(0))
                .sum();
            let mut new = [0i64; U];
            for u in 0..U {
                new[u] = fx.new[i][u][s].unwrap_or(fa[u] + fx.clinical[i][u][s].unwrap_or(0));
            }
            let free_total = nt.new[s] - fixed_new - mandatory;
            if free_total < 0 {
                shortfalls.push(format!(
                    "{day}: units' new cases exceed the nation's ({free_total})"
                ));
            } else {
                for (u, k) in allocate_weighted(
                    &mut gen.rng,
                    free_total,
                    |u| fx.new[i][u][s].map(|_| 0),
                    |_| 1,
                    &opening_need(i, |u| keep_active[u][s][0]),
                    &mut shortfalls,
                    day,
                    "confirmed_new",
                ) {
                    new[u] += k;
                }
            }
            for u in 0..U {
                let clinical = fx.clinical[i][u][s].unwrap_or(0);
                let direct = new[u] - fa[u] - clinical;
                if direct < 0 {
                    shortfalls.push(format!("{day} unit {u}: parts exceed new cases"));
                }
                for _ in 0..direct.max(0) {
                    let id = gen.card(u, s, Classification::Confirmed, day)?;
                    gen.cells[u][s].mild.push_back(id);
                }
                for _ in 0..clinical {
                    let id = gen.card(u, s, Classification::ClinicallyDiagnosed, day)?;
                    gen.cells[u][s].mild.push_back(id);
                }
                for _ in 0..fa[u] {
                    let Some(id) = gen.cells[u][s].asym.pop_front() else {
                        shortfalls.push(format!(
                            "{day}: no infection to reclassify in unit {u} slot {s}"
                        ));
                        break;
                    };
                    gen.emit(
                        None,
                        Body::Reclassified {
                            card: Key::Num(id),
                            classification: Classification::Confirmed,
                            date: day,
                        },
                    )?;
                    gen.cells[u][s].mild.push_back(id);
                }
            }
        }

        // ---- outcomes: discharges, deaths, asymptomatic releases ----
        // A unit whose outcomes are given for all origins only: its imported cases go too when
        // its local ones are not enough.
        let mut dis_fixed = fx.dis[i];
        let mut death_fixed = fx.death[i];
        for u in 0..U {
            if !fx.outcome_all_only[i][u] {
                continue;
            }
            let local = gen.cells[u][1].active();
            let (d, x) = (dis_fixed[u][1].unwrap_or(0), death_fixed[u][1].unwrap_or(0));
            let mut over = (d + x - local).max(0);
            let move_dis = over.min(d);
            over -= move_dis;
            let move_death = over.min(x);
            dis_fixed[u] = [Some(move_dis), Some(d - move_dis)];
            death_fixed[u] = [Some(move_death), Some(x - move_death)];
        }
        // A unit whose given outcomes exceed its cases: its figures do not balance (its cases
        // were counted where they do not live); their residence is corrected.
        for s in 0..SLOTS {
            for u in 0..U {
                let need = dis_fixed[u][s].unwrap_or(0) + death_fixed[u][s].unwrap_or(0);
                let short = need - gen.cells[u][s].active();
                for _ in 0..short.max(0) {
                    let donor = (0..U)
                        .filter(|d| *d != u && !gen.cells[*d][s].mild.is_empty())
                        .filter(|d| dis_fixed[*d][s].is_none() && death_fixed[*d][s].is_none())
                        .max_by_key(|d| gen.cells[*d][s].active() - keep_active[*d][s][i]);
                    let Some(d) = donor else {
                        shortfalls.push(format!("{day}: no case to move to unit {u}"));
                        break;
                    };
                    let id = gen.cells[d][s].mild.pop_back().expect("not empty");
                    let residence = gen.county(u);
                    gen.emit(
                        Some(R_RESIDENCE),
                        Body::Corrected {
                            card: Key::Num(id),
                            fix: CardFix {
                                residence: Some(residence),
                                ..CardFix::default()
                            },
                        },
                    )?;
                    gen.cells[u][s].mild.push_back(id);
                }
            }
        }
        for s in 0..SLOTS {
            let deaths = allocate_out(
                nt.death[s],
                |u| death_fixed[u][s],
                |u| gen.cells[u][s].active() - keep_active[u][s][i],
                |u| gen.cells[u][s].active(),
                &mut shortfalls,
                day,
                "deaths",
            );
            for (u, k) in deaths {
                for _ in 0..k {
                    let cell = &mut gen.cells[u][s];
                    let Some(id) = cell.severe.pop_front().or_else(|| cell.mild.pop_front()) else {
                        shortfalls.push(format!("{day}: no case to die"));
                        break;
                    };
                    cell.dead.push(id);
                    gen.outcome(id, Outcome::Died, day, None)?;
                }
            }
            let dis = allocate_out(
                nt.dis[s],
                |u| dis_fixed[u][s],
                |u| gen.cells[u][s].active() - keep_active[u][s][i],
                |u| gen.cells[u][s].active(),
                &mut shortfalls,
                day,
                "discharges",
            );
            for (u, k) in dis {
                for _ in 0..k {
                    let cell = &mut gen.cells[u][s];
                    let Some(id) = cell.mild.pop_front().or_else(|| cell.severe.pop_front()) else {
                        shortfalls.push(format!("{day}: no case to discharge"));
                        break;
                    };
                    cell.discharged.push(id);
                    gen.outcome(id, Outcome::Discharged, day, None)?;
                }
            }
            let rel = allocate_out(
                nt.asym_rel[s],
                |u| fx.asym_rel[i][u][s],
                |u| gen.cells[u][s].asym.len() as i64 - keep_asym[u][s][i],
                |u| gen.cells[u][s].asym.len() as i64,
                &mut shortfalls,
                day,
                "asymptomatic_released",
            );
            for (u, k) in rel {
                for _ in 0..k {
                    let Some(id) = gen.cells[u][s].asym.pop_front() else {
                        shortfalls.push(format!(
                            "{day}: no infection to release in unit {u} slot {s}"
                        ));
                        break;
                    };
                    gen.cells[u][s].released.push(id);
                    gen.outcome(id, Outcome::Released, day, None)?;
                }
            }
        }

        // ---- severity ----
        let mut severe = nt.severe;
        if !nt.severe_split {
            // The history gives no split: local cases first, the rest imported.
            if let (Some(a), Some(b)) = severe.into() {
                let all = a + b;
                let local_room: i64 = (0..U)
                    .map(|u| fx.severe[i][u][1].unwrap_or(gen.cells[u][1].active()))
                    .sum();
                let local = all.min(local_room);
                severe = [Some(all - local), Some(local)];
            }
        }
        for s in 0..SLOTS {
            let Some(target) = severe[s] else { continue };
            let mut fixed_total = 0;
            for u in 0..U {
                if let Some(t) = fx.severe[i][u][s] {
                    fixed_total += t;
                    set_severe(&mut gen, u, s, t, &mut shortfalls)?;
                }
            }
            let free: Vec<usize> = (0..U).filter(|u| fx.severe[i][*u][s].is_none()).collect();
            let now: i64 = free
                .iter()
                .map(|u| gen.cells[*u][s].severe.len() as i64)
                .sum();
            let mut delta = target - fixed_total - now;
            while delta > 0 {
                let Some(&u) = free
                    .iter()
                    .filter(|u| !gen.cells[**u][s].mild.is_empty())
                    .max_by_key(|u| gen.cells[**u][s].mild.len())
                else {
                    shortfalls.push(format!("{day}: no case to make severe"));
                    break;
                };
                let k = delta.min(gen.cells[u][s].mild.len() as i64);
                let now_u = gen.cells[u][s].severe.len() as i64;
                set_severe(&mut gen, u, s, now_u + k, &mut shortfalls)?;
                delta -= k;
            }
            while delta < 0 {
                let Some(&u) = free
                    .iter()
                    .filter(|u| !gen.cells[**u][s].severe.is_empty())
                    .max_by_key(|u| gen.cells[**u][s].severe.len())
                else {
                    shortfalls.push(format!("{day}: no severe case to improve"));
                    break;
                };
                let k = (-delta).min(gen.cells[u][s].severe.len() as i64);
                let now_u = gen.cells[u][s].severe.len() as i64;
                set_severe(&mut gen, u, s, now_u - k, &mut shortfalls)?;
                delta += k;
            }
        }

        // ---- close contacts ----
        for _ in 0..nt.unreleased {
            let Some((id, u)) = gen.contacts_rel.pop() else {
                shortfalls.push(format!("{day}: no release to take back"));
                break;
            };
            gen.emit(
                Some(R_RELEASE),
                Body::ContactReleaseWithdrawn {
                    contact: Key::Num(id),
                },
            )?;
            gen.contacts_obs.push_back((id, u));
        }
        for _ in 0..nt.unbecame {
            let Some((id, u)) = gen.contacts_became.pop() else {
                shortfalls.push(format!("{day}: no contact case to take back"));
                break;
            };
            gen.emit(
                Some(R_RELEASE),
                Body::ContactReleaseWithdrawn {
                    contact: Key::Num(id),
                },
            )?;
            gen.contacts_obs.push_back((id, u));
        }
        let weights: Vec<u32> = gen.day_new_cards.to_vec();
        let total_w: u64 = weights.iter().map(|w| u64::from(*w)).sum();
        for _ in 0..nt.traced {
            let u = if total_w == 0 {
                gen.rng.below(U as u64) as usize
            } else {
                let mut r = gen.rng.below(total_w);
                let mut pick = 0;
                for (k, w) in weights.iter().enumerate() {
                    if r < u64::from(*w) {
                        pick = k;
                        break;
                    }
                    r -= u64::from(*w);
                }
                pick
            };
            gen.next_contact += 1;
            let id = gen.next_contact * 32 + u as u64;
            gen.summary.contacts += 1;
            gen.summary.persons += 1;
            let residence = gen.county(u);
            let link = gen.last_card[u].map(|c| CardRef {
                unit: units()[u],
                card: Key::Num(c),
            });
            gen.emit(
                None,
                Body::ContactTraced(ContactReport {
                    contact: Key::Num(id),
                    card: link,
                    residence,
                    traced: day,
                    observation: None,
                }),
            )?;
            gen.contacts_obs.push_back((id, u as u8));
        }
        for _ in 0..nt.released {
            let Some((id, u)) = gen.contacts_obs.pop_front() else {
                shortfalls.push(format!("{day}: no contact to release"));
                break;
            };
            gen.emit(
                None,
                Body::ContactReleased {
                    contact: Key::Num(id),
                    date: day,
                },
            )?;
            gen.contacts_rel.push((id, u));
        }
        for _ in 0..nt.became {
            let Some((id, u)) = gen.contacts_obs.pop_back() else {
                shortfalls.push(format!("{day}: no contact to become a case"));
                break;
            };
            let card = gen.last_card[u as usize]
                .or_else(|| gen.last_card.iter().flatten().next().copied());
            let Some(card) = card else {
                shortfalls.push(format!("{day}: no card for a contact to become"));
                break;
            };
            gen.emit(
                None,
                Body::ContactBecameCase {
                    contact: Key::Num(id),
                    card: CardRef {
                        unit: units()[unit_of_key(&Key::Num(card))],
                        card: Key::Num(card),
                    },
                    date: day,
                },
            )?;
            gen.contacts_became.push((id, u));
        }
        if gen.corrective_today {
            gen.summary.correction_days.push(day);
        }
    }
    gen.summary.shortfalls = shortfalls;
    Ok(gen.summary)
}

/// Sets the number of severe cases of a unit and slot (from its mild cases, or back).
fn set_severe(
    gen: &mut Gen<'_>,
    u: usize,
    s: usize,
    target: i64,
    shortfalls: &mut Vec<String>,
) -> std::io::Result<()> {
    let day = gen.day;
    loop {
        let now = gen.cells[u][s].severe.len() as i64;
        if now < target {
            let Some(id) = gen.cells[u][s].mild.pop_front() else {
                shortfalls.push(format!(
                    "{day}: unit {u} has too few cases for its severe ones"
                ));
                return Ok(());
            };
            gen.severity(id, Severity::Severe)?;
            gen.cells[u][s].severe.push_back(id);
        } else if now > target {
            let id = gen.cells[u][s]
                .severe
                .pop_front()
                .expect("more than the target");
            gen.severity(id, Severity::Moderate)?;
            gen.cells[u][s].mild.push_back(id);
        } else {
            return Ok(());
        }
    }
}

/// The unit a correction goes to: the one the history's stated corrections of the day name for
/// these measures, else one already correcting, else the one with the most active cases.
fn pick_correction_unit(
    g: &Given,
    i: usize,
    cells: &[[Cell; SLOTS]],
    s: usize,
    bound: &[bool; U],
    measures: &[Measure],
    already: &[(usize, [i64; 3])],
) -> usize {
    if let Some((u, _)) = g.stated[i]
        .iter()
        .find(|(u, m)| measures.contains(m) && !bound[*u] && !cells[*u][s].mild.is_empty())
    {
        return *u;
    }
    if let Some((u, _)) = already.iter().find(|(u, _)| !bound[*u]) {
        return *u;
    }
    (0..U)
        .filter(|u| !bound[*u])
        .max_by_key(|u| cells[*u][s].mild.len() + cells[*u][s].asym.len())
        .unwrap_or(0)
}

/// Corrections of one unit and slot: confirmed, discharged and deaths cumulative residuals made
/// by late reports, withdrawals and corrected outcomes.
fn correct_cases(
    gen: &mut Gen<'_>,
    u: usize,
    s: usize,
    c: [i64; 3],
    yesterday: Date,
    shortfalls: &mut Vec<String>,
) -> std::io::Result<()> {
    let day = gen.day;
    let [mut rc, mut rd, mut rx] = c;
    // Discharges found to be deaths.
    let w = rx.max(0).min((-rd).max(0));
    for _ in 0..w {
        let Some(id) = gen.cells[u][s].discharged.pop() else {
            shortfalls.push(format!("{day}: no discharge to correct"));
            break;
        };
        gen.emit(
            Some(R_DIED),
            Body::Corrected {
                card: Key::Num(id),
                fix: CardFix {
                    outcome: Some(Outcome::Died),
                    outcome_date: Some(yesterday),
                    ..CardFix::default()
                },
            },
        )?;
        gen.cells[u][s].dead.push(id);
    }
    rd += w;
    rx -= w;
    if rc < 0 {
        let a = (-rc).min((-rd).max(0));
        for _ in 0..a {
            let Some(id) = gen.cells[u][s].discharged.pop() else {
                break;
            };
            gen.withdraw(id)?;
        }
        rc += a;
        rd += a;
        let b = (-rc).min((-rx).max(0));
        for _ in 0..b {
            let Some(id) = gen.cells[u][s].dead.pop() else {
                break;
            };
            gen.withdraw(id)?;
        }
        rc += b;
        rx += b;
        for _ in 0..-rc {
            let cell = &mut gen.cells[u][s];
            let Some(id) = cell.mild.pop_back().or_else(|| cell.severe.pop_back()) else {
                shortfalls.push(format!("{day}: no active case to withdraw"));
                break;
            };
            gen.withdraw(id)?;
        }
        rc = 0;
    }
    for _ in 0..(-rd).max(0) {
        let Some(id) = gen.cells[u][s].discharged.pop() else {
            shortfalls.push(format!("{day}: no discharge to take back"));
            break;
        };
        gen.emit(
            Some(R_OUTCOME),
            Body::OutcomeWithdrawn { card: Key::Num(id) },
        )?;
        gen.cells[u][s].mild.push_back(id);
    }
    rd = rd.max(0);
    for _ in 0..(-rx).max(0) {
        let Some(id) = gen.cells[u][s].dead.pop() else {
            shortfalls.push(format!("{day}: no death to take back"));
            break;
        };
        gen.emit(
            Some(R_OUTCOME),
            Body::OutcomeWithdrawn { card: Key::Num(id) },
        )?;
        gen.cells[u][s].mild.push_back(id);
    }
    rx = rx.max(0);
    // Late reports, some already discharged or dead.
    for _ in 0..rc.max(0) {
        let id = gen.card(u, s, Classification::Confirmed, yesterday)?;
        if rd > 0 {
            gen.outcome(id, Outcome::Discharged, yesterday, Some(R_LATE))?;
            gen.cells[u][s].discharged.push(id);
            rd -= 1;
        } else if rx > 0 {
            gen.outcome(id, Outcome::Died, yesterday, Some(R_LATE))?;
            gen.cells[u][s].dead.push(id);
            rx -= 1;
        } else {
            gen.cells[u][s].mild.push_back(id);
        }
    }
    // Late outcomes of active cases.
    for _ in 0..rd {
        let cell = &mut gen.cells[u][s];
        let Some(id) = cell.mild.pop_front().or_else(|| cell.severe.pop_front()) else {
            shortfalls.push(format!("{day}: no case for a late discharge"));
            break;
        };
        cell.discharged.push(id);
        gen.outcome(id, Outcome::Discharged, yesterday, Some(R_LATE))?;
    }
    for _ in 0..rx {
        let cell = &mut gen.cells[u][s];
        // A mild case: a late outcome of a severe one would correct the severe cases too.
        let Some(id) = cell.mild.pop_front().or_else(|| cell.severe.pop_front()) else {
            shortfalls.push(format!("{day}: no case for a late death"));
            break;
        };
        cell.dead.push(id);
        gen.outcome(id, Outcome::Died, yesterday, Some(R_LATE))?;
    }
    Ok(())
}

/// At the opening (day 0) of a range, what each unit must hold for its later figures.
fn opening_need(i: usize, need: impl Fn(usize) -> i64) -> [i64; U] {
    if i == 0 {
        std::array::from_fn(need)
    } else {
        [0; U]
    }
}

/// Spreads an inflow: units with a given figure get it; the rest goes at random to the units
/// without one.
fn allocate_in(
    rng: &mut Rng,
    total: i64,
    fixed: impl Fn(usize) -> Option<i64>,
    shortfalls: &mut Vec<String>,
    day: Date,
    what: &str,
) -> Vec<(usize, i64)> {
    allocate_weighted(rng, total, fixed, |_| 1, &[0; U], shortfalls, day, what)
}

/// [`allocate_in`] with a weight per unit for the random part.
#[allow(clippy::too_many_arguments)]
fn allocate_weighted(
    rng: &mut Rng,
    total: i64,
    fixed: impl Fn(usize) -> Option<i64>,
    weight: impl Fn(usize) -> u64,
    need: &[i64; U],
    shortfalls: &mut Vec<String>,
    day: Date,
    what: &str,
) -> Vec<(usize, i64)> {
    let mut out: Vec<(usize, i64)> = Vec::new();
    let mut rest = total;
    let mut free = Vec::new();
    for u in 0..U {
        match fixed(u) {
            Some(v) => {
                if v > 0 {
                    out.push((u, v));
                }
                rest -= v;
            }
            None => free.push(u),
        }
    }
    if rest < 0 {
        shortfalls.push(format!(
            "{day} {what}: the units' figures exceed the nation's by {}",
            -rest
        ));
        return out;
    }
    if rest > 0 && free.is_empty() {
        shortfalls.push(format!("{day} {what}: {rest} with no unit to take them"));
        return out;
    }
    let mut counts = vec![0i64; U];
    // First what each unit needs for its later figures (the opening of a range).
    let mut by_need = free.clone();
    by_need.sort_by_key(|u| std::cmp::Reverse(need[*u]));
    for u in by_need {
        let take = need[u].clamp(0, rest);
        counts[u] += take;
        rest -= take;
    }
    let weights: Vec<u64> = free.iter().map(|u| weight(*u).max(1)).collect();
    let sum: u64 = weights.iter().sum();
    for _ in 0..rest {
        let mut r = rng.below(sum);
        let mut k = 0;
        while r >= weights[k] {
            r -= weights[k];
            k += 1;
        }
        counts[free[k]] += 1;
    }
    out.extend((0..U).filter(|u| counts[*u] > 0).map(|u| (u, counts[u])));
    out
}

/// Spreads an outflow: units with a given figure get it; the rest goes to the units without one,
/// from the largest room (stock less what the unit keeps back) down.
fn allocate_out(
    total: i64,
    fixed: impl Fn(usize) -> Option<i64>,
    room: impl Fn(usize) -> i64,
    stock: impl Fn(usize) -> i64,
    shortfalls: &mut Vec<String>,
    day: Date,
    what: &str,
) -> Vec<(usize, i64)> {
    let mut out: Vec<(usize, i64)> = Vec::new();
    let mut rest = total;
    let mut free: Vec<(usize, i64)> = Vec::new();
    for u in 0..U {
        match fixed(u) {
            Some(v) => {
                if v > 0 {
                    out.push((u, v));
                }
                rest -= v;
            }
            None => free.push((u, room(u))),
        }
    }
    if rest < 0 {
        shortfalls.push(format!(
            "{day} {what}: the units' figures exceed the nation's by {}",
            -rest
        ));
        return out;
    }
    let room_total: i64 = free.iter().map(|f| f.1.max(0)).sum();
    if rest > 0 && room_total > 0 {
        // Proportional to room, the remainder to the largest.
        let mut given = 0;
        let base = rest.min(room_total);
        let mut shares: Vec<(usize, i64)> = free
            .iter()
            .filter(|f| f.1 > 0)
            .map(|f| {
                let share = (i128::from(base) * i128::from(f.1) / i128::from(room_total)) as i64;
                given += share;
                (f.0, share)
            })
            .collect();
        let mut left = rest - given;
        shares.sort_by_key(|s| std::cmp::Reverse(room(s.0) - s.1));
        for s in shares.iter_mut() {
            if left == 0 {
                break;
            }
            let spare = room(s.0) - s.1;
            let take = left.min(spare.max(0));
            s.1 += take;
            left -= take;
        }
        out.extend(shares.into_iter().filter(|s| s.1 > 0));
        rest = left;
    }
    if rest > 0 {
        // What the units keep back for later is a guess; the day's figure is not.
        let mut order: Vec<usize> = free.iter().map(|f| f.0).collect();
        order.sort_by_key(|u| std::cmp::Reverse(stock(*u)));
        for u in order {
            if rest == 0 {
                break;
            }
            let used = out.iter().filter(|o| o.0 == u).map(|o| o.1).sum::<i64>();
            let take = rest.min((stock(u) - used).max(0));
            if take > 0 {
                out.push((u, take));
                rest -= take;
            }
        }
        if rest > 0 {
            shortfalls.push(format!("{day} {what}: {rest} beyond every unit's stock"));
        }
    }
    out
}

/// A figure the derivation gives differently from the history.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Difference {
    /// The day.
    pub date: Date,
    /// The region.
    pub region: RegionCode,
    /// The origin.
    pub origin: Origin,
    /// The measure.
    pub measure: Measure,
    /// The history's figure.
    pub expected: i64,
    /// The derived figure (`None`: not derived).
    pub found: Option<i64>,
}

impl std::fmt::Display for Difference {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{} {} {} {}: history {}, derived {}",
            self.date,
            self.region,
            self.origin,
            self.measure,
            self.expected,
            self.found.map_or("none".to_string(), |v| v.to_string())
        )
    }
}

/// Compares the derivation with the history on the days from `from` to `to`: every figure of
/// the nation and of the 32 units that counts people. Returns the differences and how many
/// figures were compared.
pub fn compare(
    history: &[Day],
    derivation: &Derivation,
    from: Date,
    to: Date,
) -> (Vec<Difference>, usize) {
    let measures = derived_measures();
    let mut out = Vec::new();
    let mut compared = 0;
    for day in history {
        let Some(date) = day.date else { continue };
        if date < from || date > to {
            continue;
        }
        for f in &day.facts {
            let RegionId::Code(region) = f.region else {
                continue;
            };
            if region != RegionCode::NATION && crate::codes::unit_index(region).is_none() {
                continue;
            }
            if !measures.contains(&f.measure) {
                continue;
            }
            compared += 1;
            let found = derivation.value(date, region, f.origin, f.measure);
            if found != Some(f.value) {
                out.push(Difference {
                    date,
                    region,
                    origin: f.origin,
                    measure: f.measure,
                    expected: f.value,
                    found,
                });
            }
        }
    }
    (out, compared)
}
