//! H1 as properties: generated settings pages whose training controls are worded in both
//! polarities in the seven languages (and in mixed wording), in random checked, unchecked or
//! unreadable states, under rules with either `off_means` whose labels match nothing (so the
//! keyword fallback decides), plus suspects on a settings page no rule reads. Every plan (the
//! setting's, and each suspect's) is driven to its end through the shared simulator, which
//! knows each control's TRUE polarity and state (common/phrases.rs, written by hand, not the
//! engine's word lists) and checks: never a click on a control that is truly off, never `done`
//! (`turned-off` / `already-off`) while the data use is truly on, and never a control truly off
//! at the start and on at the end.

use crate::common::phrases;
use crate::common::sim;

use proptest::prelude::*;
use sim::{Page, Truly};
use untrain::{Control, Plan, Snapshot, SUSPECTED};

/// A wording and its truth: (language, text, on when checked).
fn wording() -> impl Strategy<Value = (&'static str, &'static str, bool)> {
    prop_oneof![
        4 => prop::sample::select(phrases::INVERTED).prop_map(|(l, t)| (l, t, false)),
        3 => prop::sample::select(phrases::AFFIRMATIVE).prop_map(|(l, t)| (l, t, true)),
        1 => prop::sample::select(phrases::MIXED).prop_map(|(t, on)| ("", t, on)),
    ]
}

/// How a control shows its state: readable, or not (no signal, `mixed`, a conflict).
#[derive(Debug, Clone, Copy)]
enum Shows {
    Readable,
    Nothing,
    Mixed,
    Conflict,
}

/// Where the wording sits: in the name, in the row only (a generic or empty name), or both.
#[derive(Debug, Clone, Copy)]
enum Where {
    Name,
    Row(&'static str),
    Both,
}

#[derive(Debug, Clone)]
struct Gen {
    lang: &'static str,
    text: &'static str,
    on_when_checked: bool,
    on: bool,
    shows: Shows,
    place: Where,
    role: &'static str,
    input: bool,
}

fn training_control() -> impl Strategy<Value = Gen> {
    (
        wording(),
        any::<bool>(),
        prop_oneof![
            6 => Just(Shows::Readable),
            1 => Just(Shows::Nothing),
            1 => Just(Shows::Mixed),
            1 => Just(Shows::Conflict),
        ],
        prop_oneof![
            4 => Just(Where::Name),
            1 => prop::sample::select(&["", "Toggle", "On", "Setting"][..]).prop_map(Where::Row),
            1 => Just(Where::Both),
        ],
        prop::sample::select(&["switch", "checkbox"][..]),
        any::<bool>(),
    )
        .prop_map(
            |((lang, text, on_when_checked), on, shows, place, role, input)| Gen {
                lang,
                text,
                on_when_checked,
                on,
                shows,
                place,
                role,
                input,
            },
        )
}

/// Controls that are not about training: a destructive button, other switches.
fn noise() -> impl Strategy<Value = Control> {
    (
        prop::sample::select(
            &[
                ("button", "Delete all chats"),
                ("button", "Clear chat history"),
                ("switch", "Dark mode"),
                ("checkbox", "Email me about new features"),
                ("switch", "Show AI writing suggestions"),
                ("button", "Save"),
            ][..],
        ),
        prop::option::of(any::<bool>()),
    )
        .prop_map(|((role, name), on)| Control {
            role: role.into(),
            tag: "button".into(),
            aria_checked: on.map(|b| b.to_string()),
            visible: true,
            name: name.into(),
            text: name.into(),
            ..Control::default()
        })
}

fn render(g: &Gen, index: usize) -> (Control, Truly) {
    let checked = g.on == g.on_when_checked;
    let (name, text) = match g.place {
        Where::Name => (g.text.to_string(), g.text.to_string()),
        Where::Row(name) => (name.to_string(), [g.text, ". Learn more"].concat()),
        Where::Both => (g.text.to_string(), [g.text, ". Learn more"].concat()),
    };
    let mut c = Control {
        index,
        role: g.role.into(),
        tag: if g.input { "input" } else { "button" }.into(),
        visible: true,
        name,
        text,
        ..Control::default()
    };
    match g.shows {
        Shows::Readable if g.input => {
            c.input_type = Some("checkbox".into());
            c.checked = Some(checked);
        }
        Shows::Readable => c.aria_checked = Some(checked.to_string()),
        Shows::Nothing => {}
        Shows::Mixed => c.aria_checked = Some("mixed".into()),
        Shows::Conflict => {
            c.aria_checked = Some(checked.to_string());
            c.data_state = Some(if checked { "unchecked" } else { "checked" }.into());
        }
    }
    let t = Truly {
        index,
        on_when_checked: g.on_when_checked,
        on: g.on,
    };
    (c, t)
}

fn page() -> impl Strategy<Value = Page> {
    prop_oneof![
        3 => Just(Page::Accepts),
        1 => Just(Page::IgnoresScriptedClicks),
        1 => (0u8..4).prop_map(Page::Reverts),
        1 => Just(Page::FlipsClicked),
    ]
}

/// A generated page: its path (a setting's page, or the suspects' page), the controls and
/// their truth.
fn settings_page() -> impl Strategy<Value = (Snapshot, Vec<Truly>)> {
    (
        prop::sample::select(&["unchecked", "checked", "s"][..]),
        prop::collection::vec(training_control(), 1..4),
        prop::collection::vec(noise(), 0..4),
        any::<u64>(),
    )
        .prop_map(|(path, training, noise, seed)| {
            let lang = training.first().map_or("", |g| g.lang);
            let mut controls = Vec::new();
            let mut truth = Vec::new();
            let mut noise = noise.into_iter();
            for (i, g) in training.iter().enumerate() {
                // interleave the noise, deterministically from the seed
                if (seed >> i) & 1 == 1 {
                    if let Some(n) = noise.next() {
                        controls.push(n);
                    }
                }
                let (c, t) = render(g, 0);
                controls.push(c);
                truth.push((controls.len() - 1, t));
            }
            controls.extend(noise);
            for (i, c) in controls.iter_mut().enumerate() {
                c.index = i * 2 + 1;
            }
            let truth = truth
                .into_iter()
                .map(|(pos, t)| Truly {
                    index: pos * 2 + 1,
                    ..t
                })
                .collect();
            let snap = Snapshot {
                url: format!("https://gen.example/{path}"),
                lang: lang.into(),
                controls,
                ..Snapshot::default()
            };
            (snap, truth)
        })
}

proptest! {
    #![proptest_config(ProptestConfig {
        cases: 1500,
        failure_persistence: None,
        ..ProptestConfig::default()
    })]

    /// Every plan the page offers (its setting's, every suspect's) is safe against the truth.
    #[test]
    fn keyword_and_suspect_plans_never_turn_training_on(
        (snap, truth) in settings_page(),
        page in page(),
    ) {
        let e = phrases::engine();
        let mut plans = vec![Plan::new("gen.unchecked"), Plan::new("gen.checked")];
        for x in e.evaluate(&snap).suspected {
            plans.push(Plan { suspect: Some(x.key), ..Plan::new(SUSPECTED) });
        }
        for plan in plans {
            if let Err(msg) = sim::simulate_truth(&e, snap.clone(), plan.clone(), page, truth.clone()) {
                prop_assert!(false, "{}\nplan {:?}\npage {:?}\ntruth {:?}\nsnapshot {:#?}", msg, plan, page, truth, snap);
            }
        }
    }

    /// Findings and suspects never read a readable control the wrong way round (on for off,
    /// off for on); unclear wording reads unknown.
    #[test]
    fn readings_never_contradict_the_truth((snap, truth) in settings_page()) {
        let e = phrases::engine();
        let ev = e.evaluate(&snap);
        let reads = ev
            .findings
            .iter()
            .filter_map(|f| f.control.map(|c| (c, f.state)))
            .chain(ev.suspected.iter().map(|x| (x.control, x.state)));
        for (c, state) in reads {
            let Some(t) = truth.iter().find(|t| t.index == c) else { continue };
            let wrong = if t.on { untrain::State::Off } else { untrain::State::On };
            prop_assert!(state != wrong, "control {} reads {:?}, truly on: {}\n{:#?}", c, state, t.on, snap);
        }
    }
}
