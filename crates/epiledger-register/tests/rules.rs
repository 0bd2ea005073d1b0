//! Every rule of the register and every bad input of the issue, and how events derive figures.

mod common;

use common::*;
use epiledger_core::{CorrectionKind, Ledger, Measure, Origin, RegionCode};
use epiledger_register::interchange::{import, Format, Mapping, ReadOptions};
use epiledger_register::public::public_line_list;
use epiledger_register::{
    Body, CardFix, CaseOrigin, Classification as C, Outcome, Pseudonymizer, Register, RuleError,
};

fn value(r: &Register, day: &str, region: u32, origin: Origin, m: Measure) -> i64 {
    r.derivation()
        .value(d(day), code(region), origin, m)
        .unwrap()
}

fn apply_all(r: &mut Register, events: &[epiledger_register::Event]) {
    for e in events {
        r.apply(e).unwrap_or_else(|err| panic!("{e:?}: {err}"));
    }
}

#[test]
fn a_card_counts_on_its_audit_day_in_its_province() {
    let mut b = B::new();
    let mut r = Register::new();
    apply_all(
        &mut r,
        &[
            b.card("2020-02-01", 1, C::Confirmed, CaseOrigin::Local),
            b.card("2020-02-01", 2, C::Confirmed, CaseOrigin::Imported),
            b.card("2020-02-01", 3, C::Asymptomatic, CaseOrigin::Local),
            b.card("2020-02-01", 4, C::Suspected, CaseOrigin::Local),
        ],
    );
    let v = |o, m| value(&r, "2020-02-01", HUBEI, o, m);
    assert_eq!(v(Origin::All, Measure::ConfirmedNew), 2);
    assert_eq!(v(Origin::Imported, Measure::ConfirmedNew), 1);
    assert_eq!(v(Origin::Local, Measure::ConfirmedCurrent), 1);
    assert_eq!(v(Origin::All, Measure::AsymptomaticNew), 1);
    assert_eq!(v(Origin::All, Measure::SuspectedCurrent), 1);
    assert_eq!(
        value(
            &r,
            "2020-02-01",
            100000,
            Origin::All,
            Measure::ConfirmedCumulative
        ),
        2
    );
    assert_eq!(
        value(
            &r,
            "2020-02-01",
            BEIJING,
            Origin::All,
            Measure::ConfirmedNew
        ),
        0
    );
}

#[test]
fn a_reclassified_infection_counts_three_times_as_the_bulletins_do() {
    let mut b = B::new();
    let mut r = Register::new();
    apply_all(
        &mut r,
        &[
            b.card("2020-04-01", 1, C::Asymptomatic, CaseOrigin::Local),
            b.reclassify("2020-04-02", 1, C::Confirmed),
        ],
    );
    let v = |m| value(&r, "2020-04-02", HUBEI, Origin::Local, m);
    assert_eq!(v(Measure::AsymptomaticToConfirmed), 1);
    assert_eq!(v(Measure::ConfirmedNew), 1);
    assert_eq!(v(Measure::ConfirmedNewFromAsymptomatic), 1);
    assert_eq!(v(Measure::AsymptomaticUnderObservation), 0);
    assert_eq!(v(Measure::ConfirmedCurrent), 1);
}

#[test]
fn late_changes_are_corrections_of_the_day_they_are_made() {
    let mut b = B::new();
    let mut r = Register::new();
    apply_all(
        &mut r,
        &[
            b.card("2020-02-01", 1, C::Confirmed, CaseOrigin::Local),
            b.card("2020-02-01", 2, C::Confirmed, CaseOrigin::Local),
            b.outcome("2020-02-02", 2, Outcome::Discharged, "2020-02-02"),
            // Day 3: a withdrawal, and a card audited on day 1 reported late.
            b.withdraw("2020-02-03", 1),
        ],
    );
    let mut late = card_report(9, "2020-02-01", C::Confirmed, CaseOrigin::Local);
    late.audit = d("2020-02-01");
    apply_all(
        &mut r,
        &[b.event("2020-02-03", HUBEI, None, Body::Card(late))],
    );
    // Day 1 is as it was.
    assert_eq!(
        value(
            &r,
            "2020-02-01",
            HUBEI,
            Origin::All,
            Measure::ConfirmedCumulative
        ),
        2
    );
    // Day 3: no new case, the cumulative corrected by −1 and +1.
    let day3 = r.derivation().day(d("2020-02-03")).unwrap();
    assert_eq!(
        value(&r, "2020-02-03", HUBEI, Origin::All, Measure::ConfirmedNew),
        0
    );
    assert_eq!(
        value(
            &r,
            "2020-02-03",
            HUBEI,
            Origin::All,
            Measure::ConfirmedCumulative
        ),
        2
    );
    let c: Vec<_> = day3
        .corrections
        .iter()
        .filter(|c| c.measure == Measure::ConfirmedCumulative)
        .collect();
    assert_eq!(c.len(), 2, "{c:?}");
    assert!(c.iter().any(|c| c.kind == CorrectionKind::Reduce
        && c.delta == Some(-1)
        && c.reason.as_deref() == Some("duplicate report")));
    assert!(c
        .iter()
        .any(|c| c.kind == CorrectionKind::Increase && c.delta == Some(1)));
    // The ledger's identities hold with those corrections.
    let ledger = Ledger::from_days(r.derivation().days());
    assert!(epiledger_core::audit(&ledger, None, None).is_empty());
}

#[test]
fn a_residence_corrected_moves_the_card_between_provinces() {
    let mut b = B::new();
    let mut r = Register::new();
    apply_all(
        &mut r,
        &[b.card("2020-02-01", 1, C::Confirmed, CaseOrigin::Local)],
    );
    let fix = CardFix {
        residence: Some(code(DONGCHENG)),
        ..CardFix::default()
    };
    apply_all(&mut r, &[b.fix("2020-02-02", 1, fix)]);
    assert_eq!(
        value(
            &r,
            "2020-02-02",
            HUBEI,
            Origin::All,
            Measure::ConfirmedCumulative
        ),
        0
    );
    assert_eq!(
        value(
            &r,
            "2020-02-02",
            BEIJING,
            Origin::All,
            Measure::ConfirmedCumulative
        ),
        1
    );
    assert_eq!(
        value(
            &r,
            "2020-02-02",
            100000,
            Origin::All,
            Measure::ConfirmedCumulative
        ),
        1
    );
    let ledger = Ledger::from_days(r.derivation().days());
    assert!(epiledger_core::audit(&ledger, None, None).is_empty());
}

#[test]
fn every_bad_input_of_the_issue_is_a_typed_error_with_its_field() {
    let mut b = B::new();
    let mut r = Register::new();
    apply_all(
        &mut r,
        &[
            b.card("2020-02-01", 1, C::Confirmed, CaseOrigin::Local),
            b.card("2020-02-01", 2, C::Confirmed, CaseOrigin::Local),
            b.outcome("2020-02-02", 2, Outcome::Died, "2020-02-02"),
            b.card("2020-02-02", 3, C::Confirmed, CaseOrigin::Local),
            b.withdraw("2020-02-02", 3),
        ],
    );
    let check = |r: &mut Register, e: epiledger_register::Event, field: &str| {
        let err = r.apply(&e).unwrap_err();
        assert_eq!(err.field(), field, "{err}");
        err
    };
    // An institution outside the submitter's unit.
    let mut c = card_report(10, "2020-02-03", C::Confirmed, CaseOrigin::Local);
    c.institution = code(DONGCHENG);
    let e = b.event("2020-02-03", HUBEI, None, Body::Card(c));
    assert!(matches!(
        check(&mut r, e, "institution"),
        RuleError::InstitutionOutsideUnit { .. }
    ));
    // An outcome before the card exists: no such card, or a date before its audit.
    let e = b.outcome("2020-02-03", 99, Outcome::Discharged, "2020-02-03");
    assert!(matches!(
        check(&mut r, e, "card"),
        RuleError::UnknownCard(_)
    ));
    let e = b.outcome("2020-02-03", 1, Outcome::Discharged, "2020-01-31");
    assert!(matches!(
        check(&mut r, e, "date"),
        RuleError::BeforeCard { .. }
    ));
    // A discharge after a death.
    let e = b.outcome("2020-02-03", 2, Outcome::Discharged, "2020-02-03");
    assert!(matches!(
        check(&mut r, e, "outcome"),
        RuleError::OutcomeAlreadyRecorded { .. }
    ));
    // Onset after diagnosis.
    let mut c = card_report(11, "2020-02-03", C::Confirmed, CaseOrigin::Local);
    c.onset = Some(d("2020-02-03"));
    c.diagnosis = Some(d("2020-02-02"));
    let e = b.event("2020-02-03", HUBEI, None, Body::Card(c));
    assert!(matches!(
        check(&mut r, e, "onset"),
        RuleError::DatesOutOfOrder { .. }
    ));
    // A confirmed case reclassified as asymptomatic.
    let e = b.reclassify("2020-02-03", 1, C::Asymptomatic);
    assert!(matches!(
        check(&mut r, e, "classification"),
        RuleError::Reclassification { .. }
    ));
    // An unknown county.
    let mut c = card_report(12, "2020-02-03", C::Confirmed, CaseOrigin::Local);
    c.residence = code(429999);
    let e = b.event("2020-02-03", HUBEI, None, Body::Card(c));
    assert!(matches!(
        check(&mut r, e, "residence"),
        RuleError::UnknownPlace { .. }
    ));
    // A card id used twice.
    let e = b.card("2020-02-03", 1, C::Confirmed, CaseOrigin::Local);
    assert!(matches!(
        check(&mut r, e, "card"),
        RuleError::DuplicateCard(_)
    ));
    // A withdrawn card changed again.
    let e = b.outcome("2020-02-03", 3, Outcome::Discharged, "2020-02-03");
    assert!(matches!(check(&mut r, e, "type"), RuleError::Withdrawn(_)));
    // An imported case without its country.
    let mut c = card_report(13, "2020-02-03", C::Confirmed, CaseOrigin::Imported);
    c.country = None;
    let e = b.event("2020-02-03", HUBEI, None, Body::Card(c));
    check(&mut r, e, "country");
    // A closed day.
    let e = b.card("2020-02-01", 14, C::Confirmed, CaseOrigin::Local);
    assert!(matches!(
        check(&mut r, e, "recorded"),
        RuleError::ClosedDay { .. }
    ));
    // A withdrawal without a reason.
    let e = b.event(
        "2020-02-03",
        HUBEI,
        None,
        Body::Withdrawn {
            card: epiledger_register::Key::Num(1),
        },
    );
    check(&mut r, e, "reason");
    // Nothing of the refused events changed the figures.
    assert_eq!(r.cards(), 3);
}

#[test]
fn an_unknown_country_is_refused_with_its_line_and_column() {
    let csv = "event,recorded,author,unit,type,card,disease,classification,origin,country,residence,institution,report,audit\n\
               1,2020-02-01T10:00:00+08:00,u,420000,card,1,COVID-19,confirmed,imported,XX,420106,420106,2020-02-01,2020-02-01\n";
    let mut r = Register::new();
    let p = import(&mut r, csv.as_bytes(), Format::Csv, ReadOptions::default()).unwrap_err();
    assert_eq!(p.listed[0].line, 2);
    assert_eq!(p.listed[0].column.as_deref(), Some("country"));
    assert_eq!(p.listed[0].code, "unknown_country");
}

#[test]
fn batches_are_all_or_nothing_with_every_error_listed() {
    let mut b = B::new();
    let mut r = Register::new();
    apply_all(
        &mut r,
        &[b.card("2020-02-01", 1, C::Confirmed, CaseOrigin::Local)],
    );
    let before = r.derivation().clone();
    let batch = vec![
        b.card("2020-02-02", 2, C::Confirmed, CaseOrigin::Local),
        b.outcome("2020-02-02", 2, Outcome::Discharged, "2020-02-02"),
        b.outcome("2020-02-02", 7, Outcome::Discharged, "2020-02-02"),
        b.card("2020-02-02", 1, C::Confirmed, CaseOrigin::Local),
    ];
    let err = r.apply_batch(&batch).unwrap_err();
    assert_eq!(err.iter().map(|e| e.index).collect::<Vec<_>>(), [2, 3]);
    assert_eq!(r.cards(), 1);
    assert_eq!(r.events(), 1);
    assert_eq!(*r.derivation(), before);
    // The good part alone goes through, and again changes nothing (idempotence).
    let s = r.apply_batch(&batch[..2]).unwrap();
    assert_eq!(s.recorded, 2);
    let s = r.apply_batch(&batch[..2]).unwrap();
    assert_eq!((s.recorded, s.duplicates), (0, 2));
    assert_eq!(
        value(
            &r,
            "2020-02-02",
            HUBEI,
            Origin::All,
            Measure::DischargedCumulative
        ),
        1
    );
}

#[test]
fn csv_and_ndjson_round_trip_and_import_whole_or_not_at_all() {
    use epiledger_register::interchange::{CsvWriter, NdjsonWriter};
    let mut b = B::new();
    let events = vec![
        b.card("2020-02-01", 1, C::Confirmed, CaseOrigin::Imported),
        b.outcome("2020-02-02", 1, Outcome::Discharged, "2020-02-02"),
        b.contact("2020-02-02", 5),
        b.release("2020-02-03", 5),
    ];
    let mut w = CsvWriter::new(Vec::new()).unwrap();
    let mut n = NdjsonWriter::new(Vec::new());
    for e in &events {
        w.write(e).unwrap();
        n.write(e).unwrap();
    }
    let (csv, nd) = (w.finish().unwrap(), n.finish().unwrap());
    for (bytes, format) in [(&csv, Format::Csv), (&nd, Format::Ndjson)] {
        let mut read = Vec::new();
        let p = epiledger_register::interchange::read(
            bytes.as_slice(),
            format,
            ReadOptions::default(),
            |_, e| read.push(e),
        );
        assert!(p.is_empty(), "{p}");
        assert_eq!(read, events);
        let mut r = Register::new();
        let s = import(&mut r, bytes.as_slice(), format, ReadOptions::default()).unwrap();
        assert_eq!(s.recorded, 4);
        assert_eq!(
            value(
                &r,
                "2020-02-03",
                HUBEI,
                Origin::All,
                Measure::ContactsReleased
            ),
            1
        );
    }
    // A bad row anywhere: nothing stays.
    let mut text = String::from_utf8(csv).unwrap();
    text.push_str(
        "9,2020-02-03T10:00:00+08:00,u,420000,outcome,404,,,,,,,,,,,,,,,,2020-02-03,,died,,,,,\n",
    );
    let mut r = Register::new();
    let p = import(&mut r, text.as_bytes(), Format::Csv, ReadOptions::default()).unwrap_err();
    assert_eq!(p.total, 1);
    assert_eq!(p.listed[0].line, 6);
    assert_eq!(p.listed[0].column.as_deref(), Some("card"));
    assert_eq!(r.events(), 0);
    assert_eq!(r.derivation().span(), None);
}

#[test]
fn a_mapping_reads_a_units_own_line_list() {
    let mapping = Mapping::from_json(
        r#"{"columns": {"卡片编号": ["card", "event"], "审核时间": "recorded", "现住址": "residence",
             "报告单位": "institution", "分类": "classification", "来源": "origin",
             "报告日期": "report", "审核日期": "audit", "备注": []},
            "defaults": {"type": "card", "disease": "COVID-19", "author": "unit-import", "unit": "420000"},
            "ignore": ["姓名拼音"]}"#,
    )
    .unwrap();
    let csv = "卡片编号,审核时间,现住址,报告单位,分类,来源,报告日期,审核日期,姓名拼音,备注\n\
               A1,2020-02-01T09:00:00+08:00,420106,420106,确诊病例,本土,2020-02-01,2020-02-01,x,y\n\
               A2,2020-02-01T09:00:00+08:00,420106,420106,suspected,local,2020-02-01,2020-02-02,x,y\n";
    let mut r = Register::new();
    let opts = ReadOptions {
        mapping: Some(&mapping),
        pseudonymizer: None,
    };
    let p = import(&mut r, csv.as_bytes(), Format::Csv, opts).unwrap_err();
    // The audit date after the recorded day, named by the unit's own column.
    assert_eq!(p.listed[0].column.as_deref(), Some("审核日期"));
    assert_eq!(p.listed[0].line, 3);
    let ok = csv.lines().take(2).collect::<Vec<_>>().join("\n");
    import(&mut r, ok.as_bytes(), Format::Csv, opts).unwrap();
    assert_eq!(
        value(
            &r,
            "2020-02-01",
            HUBEI,
            Origin::Local,
            Measure::ConfirmedNew
        ),
        1
    );
    assert!(Mapping::from_json(r#"{"columns": {"x": "nope"}}"#).is_err());
}

#[test]
fn identity_numbers_need_the_key_and_are_never_stored() {
    let csv = "event,recorded,author,unit,type,card,disease,classification,origin,residence,institution,report,audit,id_number,name\n\
               1,2020-02-01T10:00:00+08:00,u,420000,card,1,COVID-19,confirmed,local,420106,420106,2020-02-01,2020-02-01,11010519491231002X,张三\n";
    let mut r = Register::new();
    let p = import(&mut r, csv.as_bytes(), Format::Csv, ReadOptions::default()).unwrap_err();
    assert_eq!(p.listed[0].code, "pseudonym_key_missing");
    assert!(p.listed[0].message.contains("EPILEDGER_PSEUDONYM_KEY"));
    let key = Pseudonymizer::new(b"0123456789abcdef0123456789abcdef").unwrap();
    let opts = ReadOptions {
        mapping: None,
        pseudonymizer: Some(&key),
    };
    import(&mut r, csv.as_bytes(), Format::Csv, opts).unwrap();
    let (view, private) = r.card(&card_ref(HUBEI, 1)).unwrap();
    assert_eq!(
        view.person,
        Some(key.pseudonym("11010519491231002x").unwrap())
    );
    assert_eq!(private.unwrap().name.as_deref(), Some("张三"));
    // The written form has the pseudonym and no name.
    let mut w = epiledger_register::interchange::CsvWriter::new(Vec::new()).unwrap();
    let mut read = Vec::new();
    epiledger_register::interchange::read(csv.as_bytes(), Format::Csv, opts, |_, e| read.push(e));
    w.write(&read[0]).unwrap();
    let out = String::from_utf8(w.finish().unwrap()).unwrap();
    assert!(!out.contains("11010519491231002X") && !out.contains("张三"));
    assert!(out.contains(&view.person.unwrap().to_string()));
}

#[test]
fn duplicates_are_flagged_and_merged_by_the_survivor_rule() {
    let mut b = B::new();
    let mut r = Register::new();
    let mut c1 = card_report(1, "2020-02-01", C::Suspected, CaseOrigin::Local);
    c1.person = Some(person(7));
    let mut c2 = card_report(2, "2020-02-02", C::Confirmed, CaseOrigin::Local);
    c2.person = Some(person(7));
    apply_all(
        &mut r,
        &[
            b.event("2020-02-01", HUBEI, None, Body::Card(c1)),
            b.event("2020-02-02", HUBEI, None, Body::Card(c2)),
        ],
    );
    let flags: Vec<_> = r.duplicates().cloned().collect();
    assert_eq!(flags.len(), 1);
    // The confirmed card survives the suspected one, though recorded later.
    assert_eq!(flags[0].survivor, card_ref(HUBEI, 2));
    let wrong = b.event(
        "2020-02-03",
        HUBEI,
        Some("same person"),
        Body::Merged {
            card: epiledger_register::Key::Num(1),
            duplicate: card_ref(HUBEI, 2),
        },
    );
    assert!(matches!(r.apply(&wrong), Err(RuleError::Merge(_))));
    let merge = b.event(
        "2020-02-03",
        HUBEI,
        Some("same person"),
        Body::Merged {
            card: epiledger_register::Key::Num(2),
            duplicate: card_ref(HUBEI, 1),
        },
    );
    r.apply(&merge).unwrap();
    assert_eq!(r.duplicates().count(), 0);
    assert_eq!(
        value(
            &r,
            "2020-02-03",
            HUBEI,
            Origin::All,
            Measure::SuspectedCurrent
        ),
        0
    );
    let day = r.derivation().day(d("2020-02-03")).unwrap();
    assert!(day
        .corrections
        .iter()
        .any(|c| c.measure == Measure::SuspectedCumulative
            && c.delta == Some(-1)
            && c.reason.as_deref() == Some("same person")));
}

#[test]
fn the_shipped_table_schemas_are_the_generated_ones() {
    use epiledger_register::interchange::schema::data_resource;
    for (format, file) in [
        (Format::Csv, include_str!("../schema/case-events.csv.json")),
        (
            Format::Ndjson,
            include_str!("../schema/case-events.ndjson.json"),
        ),
    ] {
        let shipped: serde_json::Value = serde_json::from_str(file).unwrap();
        assert_eq!(
            shipped,
            data_resource(format),
            "regenerate schema/ with the schema example"
        );
        let fields = shipped["schema"]["fields"].as_array().unwrap();
        assert_eq!(fields.len(), epiledger_register::interchange::COLUMNS.len());
    }
}

#[test]
fn the_public_line_list_has_no_identifier_and_k_at_least_5() {
    let mut b = B::new();
    let mut r = Register::new();
    for i in 0..7 {
        apply_all(
            &mut r,
            &[b.card("2020-02-03", i, C::Confirmed, CaseOrigin::Local)],
        );
    }
    let mut odd = card_report(100, "2020-02-03", C::Confirmed, CaseOrigin::Local);
    odd.age = Some(91);
    apply_all(
        &mut r,
        &[b.event("2020-02-03", HUBEI, None, Body::Card(odd))],
    );
    let l = public_line_list(&r, 1);
    assert_eq!(l.k, 5);
    assert_eq!(l.rows.len(), 7);
    assert_eq!(l.suppressed, 1);
    assert!(l
        .rows
        .iter()
        .all(|x| x.week == "2020-W06" && x.age == "40-49"));
    assert!(l.rows.iter().all(|x| x.province == RegionCode::HUBEI));
}

#[test]
fn as_of_reads_give_the_past_as_it_was_known() {
    let mut b = B::new();
    let mut r = Register::new();
    apply_all(
        &mut r,
        &[
            b.card("2020-02-01", 1, C::Confirmed, CaseOrigin::Local),
            b.withdraw("2020-02-02", 1),
        ],
    );
    let known: Vec<_> = r.derivation().days_until(d("2020-02-01")).collect();
    assert_eq!(known.len(), 1);
    assert_eq!(
        known[0].get(
            &RegionCode::HUBEI.into(),
            Origin::All,
            Measure::ConfirmedCumulative
        ),
        Some(1)
    );
    assert_eq!(
        value(
            &r,
            "2020-02-02",
            HUBEI,
            Origin::All,
            Measure::ConfirmedCumulative
        ),
        0
    );
}
