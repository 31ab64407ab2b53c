//! Two small chart writers, producing standalone SVG by plain string building: a bar chart
//! (throughput per design) and a line chart (live heap against events processed).

use std::fmt::Write;

const WIDTH: f64 = 720.0;
const HEIGHT: f64 = 400.0;
const LEFT: f64 = 90.0;
const RIGHT: f64 = 24.0;
const TOP: f64 = 48.0;
const BOTTOM: f64 = 64.0;
const COLORS: [&str; 6] = [
    "#c0392b", "#d68910", "#1e8449", "#2471a3", "#7d3c98", "#616a6b",
];

/// One line of a line chart.
#[derive(Clone, Debug, PartialEq)]
pub struct Series {
    pub name: String,
    pub points: Vec<(f64, f64)>,
}

/// Escapes the five characters XML gives a meaning to.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            c => out.push(c),
        }
    }
    out
}

/// A round step for about `target` intervals between 0 and `max`: 1, 2 or 5 times a power of 10.
fn nice_step(max: f64, target: f64) -> f64 {
    if max <= 0.0 || !max.is_finite() {
        return 1.0;
    }
    let raw = max / target;
    let magnitude = 10f64.powf(raw.log10().floor());
    let fraction = raw / magnitude;
    let nice = if fraction <= 1.0 {
        1.0
    } else if fraction <= 2.0 {
        2.0
    } else if fraction <= 5.0 {
        5.0
    } else {
        10.0
    };
    nice * magnitude
}

/// `1234567.0` as `1.23M`: short labels for axes and bars.
pub fn si(value: f64) -> String {
    let abs = value.abs();
    let (scaled, suffix) = if abs >= 1e9 {
        (value / 1e9, "G")
    } else if abs >= 1e6 {
        (value / 1e6, "M")
    } else if abs >= 1e3 {
        (value / 1e3, "k")
    } else {
        (value, "")
    };
    let text = if scaled.abs() >= 100.0 || scaled.fract() == 0.0 {
        format!("{scaled:.0}")
    } else if scaled.abs() >= 10.0 {
        format!("{scaled:.1}")
    } else {
        format!("{scaled:.2}")
    };
    format!("{text}{suffix}")
}

fn header(out: &mut String, title: &str) {
    let _ = write!(
        out,
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n\
         <svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{WIDTH}\" height=\"{HEIGHT}\" \
         viewBox=\"0 0 {WIDTH} {HEIGHT}\" font-family=\"sans-serif\" font-size=\"13\">\n\
         <title>{t}</title>\n\
         <rect width=\"{WIDTH}\" height=\"{HEIGHT}\" fill=\"white\"/>\n\
         <text x=\"{x}\" y=\"28\" text-anchor=\"middle\" font-size=\"16\" \
         font-weight=\"bold\">{t}</text>\n",
        t = escape(title),
        x = WIDTH / 2.0,
    );
}

/// Horizontal grid lines and labels of the y axis, from 0 to `y_max` (returned, rounded up).
fn y_axis(out: &mut String, y_max: f64, label: &str) -> f64 {
    let step = nice_step(y_max, 5.0);
    let top = (y_max / step).ceil().max(1.0) * step;
    let plot_h = HEIGHT - TOP - BOTTOM;
    let mut tick = 0.0;
    while tick <= top + step / 2.0 {
        let y = TOP + plot_h - tick / top * plot_h;
        let _ = writeln!(
            out,
            "<line x1=\"{LEFT}\" y1=\"{y:.1}\" x2=\"{x2}\" y2=\"{y:.1}\" stroke=\"#dddddd\"/>\n\
             <text x=\"{lx}\" y=\"{ly:.1}\" text-anchor=\"end\">{v}</text>",
            x2 = WIDTH - RIGHT,
            lx = LEFT - 8.0,
            ly = y + 4.0,
            v = si(tick),
        );
        tick += step;
    }
    let _ = writeln!(
        out,
        "<text transform=\"translate(18 {cy}) rotate(-90)\" text-anchor=\"middle\">{l}</text>\n\
         <line x1=\"{LEFT}\" y1=\"{TOP}\" x2=\"{LEFT}\" y2=\"{b}\" stroke=\"black\"/>\n\
         <line x1=\"{LEFT}\" y1=\"{b}\" x2=\"{r}\" y2=\"{b}\" stroke=\"black\"/>",
        cy = TOP + plot_h / 2.0,
        l = escape(label),
        b = HEIGHT - BOTTOM,
        r = WIDTH - RIGHT,
    );
    top
}

// ANCHOR: bar_chart
/// A bar chart with one labelled bar per `(name, value)`.
pub fn bar_chart(title: &str, y_label: &str, bars: &[(String, f64)]) -> String {
    let mut out = String::new();
    header(&mut out, title);
    let y_max = bars.iter().map(|b| b.1).fold(0.0, f64::max);
    let top = y_axis(&mut out, y_max, y_label);
    let plot_w = WIDTH - LEFT - RIGHT;
    let plot_h = HEIGHT - TOP - BOTTOM;
    let slot = plot_w / bars.len().max(1) as f64;
    for (i, (name, value)) in bars.iter().enumerate() {
        let h = value / top * plot_h;
        let x = LEFT + slot * i as f64 + slot * 0.2;
        let y = TOP + plot_h - h;
        let _ = writeln!(
            out,
            "<g class=\"bar\"><title>{n}: {v}</title>\
             <rect x=\"{x:.1}\" y=\"{y:.1}\" width=\"{w:.1}\" height=\"{h:.1}\" fill=\"{c}\"/>\
             <text x=\"{cx:.1}\" y=\"{vy:.1}\" text-anchor=\"middle\">{v}</text>\
             <text x=\"{cx:.1}\" y=\"{ny:.1}\" text-anchor=\"middle\">{n}</text></g>",
            n = escape(name),
            v = si(*value),
            w = slot * 0.6,
            c = COLORS[i % COLORS.len()],
            cx = x + slot * 0.3,
            vy = y - 6.0,
            ny = HEIGHT - BOTTOM + 20.0,
        );
    }
    out.push_str("</svg>\n");
    out
}
// ANCHOR_END: bar_chart

/// A line chart, one polyline per series, with a legend; both axes start at 0.
pub fn line_chart(title: &str, x_label: &str, y_label: &str, series: &[Series]) -> String {
    let mut out = String::new();
    header(&mut out, title);
    let points = || series.iter().flat_map(|s| s.points.iter());
    let x_max = points().map(|p| p.0).fold(0.0, f64::max);
    let y_max = points().map(|p| p.1).fold(0.0, f64::max);
    let top = y_axis(&mut out, y_max, y_label);
    let plot_w = WIDTH - LEFT - RIGHT;
    let plot_h = HEIGHT - TOP - BOTTOM;

    let x_step = nice_step(x_max, 6.0);
    let right = (x_max / x_step).ceil().max(1.0) * x_step;
    let mut tick = 0.0;
    while tick <= right + x_step / 2.0 {
        let x = LEFT + tick / right * plot_w;
        let _ = writeln!(
            out,
            "<text x=\"{x:.1}\" y=\"{y}\" text-anchor=\"middle\">{v}</text>",
            y = HEIGHT - BOTTOM + 18.0,
            v = si(tick),
        );
        tick += x_step;
    }
    let _ = writeln!(
        out,
        "<text x=\"{cx}\" y=\"{y}\" text-anchor=\"middle\">{l}</text>",
        cx = LEFT + plot_w / 2.0,
        y = HEIGHT - 14.0,
        l = escape(x_label),
    );

    for (i, s) in series.iter().enumerate() {
        let color = COLORS[i % COLORS.len()];
        let mut coords = String::new();
        for &(x, y) in &s.points {
            let px = LEFT + x / right * plot_w;
            let py = TOP + plot_h - y.max(0.0) / top * plot_h;
            let _ = write!(coords, "{px:.1},{py:.1} ");
        }
        let ly = TOP + 12.0 + 20.0 * i as f64;
        let _ = writeln!(
            out,
            "<g class=\"series\"><title>{n}</title>\
             <polyline fill=\"none\" stroke=\"{color}\" stroke-width=\"2.5\" points=\"{p}\"/>\
             <line x1=\"{lx1}\" y1=\"{ly}\" x2=\"{lx2}\" y2=\"{ly}\" stroke=\"{color}\" \
             stroke-width=\"3\"/>\
             <text x=\"{tx}\" y=\"{ty}\">{n}</text></g>",
            n = escape(&s.name),
            p = coords.trim_end(),
            lx1 = LEFT + 16.0,
            lx2 = LEFT + 40.0,
            tx = LEFT + 46.0,
            ty = ly + 4.0,
        );
    }
    out.push_str("</svg>\n");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A small well-formedness check: every tag is closed, in order, and attribute quotes and
    /// entities are balanced. Enough to catch what string building gets wrong.
    fn assert_well_formed(svg: &str) {
        let mut stack: Vec<String> = Vec::new();
        let mut rest = svg.trim_start();
        assert!(rest.starts_with("<?xml"), "missing XML declaration");
        rest = &rest[rest.find("?>").expect("unterminated declaration") + 2..];
        while let Some(start) = rest.find('<') {
            let text = &rest[..start];
            assert!(!text.contains('>'), "stray '>' in text {text:?}");
            for (i, _) in text.match_indices('&') {
                let entity = &text[i..text[i..].find(';').map_or(text.len(), |e| i + e + 1)];
                assert!(
                    ["&amp;", "&lt;", "&gt;", "&quot;", "&apos;"].contains(&entity),
                    "bad entity {entity:?}"
                );
            }
            let end = start + rest[start..].find('>').expect("unterminated tag");
            let tag = &rest[start + 1..end];
            assert_eq!(
                tag.matches('"').count() % 2,
                0,
                "unbalanced quotes in <{tag}>"
            );
            if let Some(name) = tag.strip_prefix('/') {
                assert_eq!(
                    stack.pop().as_deref(),
                    Some(name.trim()),
                    "mismatched </{name}>"
                );
            } else if !tag.ends_with('/') {
                let name = tag.split_whitespace().next().expect("empty tag");
                stack.push(name.to_string());
            }
            rest = &rest[end + 1..];
        }
        assert!(rest.trim().is_empty(), "text after the root element");
        assert!(stack.is_empty(), "unclosed tags: {stack:?}");
    }

    #[test]
    fn bar_chart_is_well_formed_and_shows_every_bar() {
        let bars = vec![
            ("arc-mutex".to_string(), 1_250_000.0),
            ("arc-mutex-weak".to_string(), 1_300_000.0),
            ("arena <fast> & \"lean\"".to_string(), 4_000_000.0),
        ];
        let svg = bar_chart("Throughput", "events/s", &bars);
        assert_well_formed(&svg);
        assert_eq!(svg.matches("<g class=\"bar\">").count(), 3);
        assert!(svg.contains(">arc-mutex<") && svg.contains(">arc-mutex-weak<"));
        assert!(svg.contains("arena &lt;fast&gt; &amp; &quot;lean&quot;"));
        assert!(svg.contains(">1.25M<") && svg.contains(">4M<"));
    }

    #[test]
    fn line_chart_is_well_formed_and_draws_each_series() {
        let series = vec![
            Series {
                name: "grows".into(),
                points: vec![(0.0, 0.0), (1_000.0, 5_000.0), (2_000.0, 10_000.0)],
            },
            Series {
                name: "flat".into(),
                points: vec![(0.0, 0.0), (1_000.0, 3_000.0), (2_000.0, 3_000.0)],
            },
        ];
        let svg = line_chart("Live heap", "events", "bytes", &series);
        assert_well_formed(&svg);
        assert_eq!(svg.matches("<polyline").count(), 2);
        assert!(svg.contains("<title>grows</title>") && svg.contains("<title>flat</title>"));
        // The highest point of the chart is drawn at the top of the plot area.
        assert!(svg.contains(&format!("{:.1},{:.1}", WIDTH - RIGHT, TOP)));
    }

    #[test]
    fn empty_charts_are_still_well_formed() {
        assert_well_formed(&bar_chart("none", "y", &[]));
        assert_well_formed(&line_chart("none", "x", "y", &[]));
    }

    #[test]
    fn the_checker_catches_broken_svg() {
        for broken in [
            "<?xml version=\"1.0\"?><svg><g></svg>",
            "<?xml version=\"1.0\"?><svg><text>a & b</text></svg>",
            "<?xml version=\"1.0\"?><svg><rect x=\"1/></svg>",
        ] {
            assert!(std::panic::catch_unwind(|| assert_well_formed(broken)).is_err());
        }
    }

    #[test]
    fn labels_are_short() {
        assert_eq!(si(0.0), "0");
        assert_eq!(si(1_500.0), "1.50k");
        assert_eq!(si(2_000_000.0), "2M");
        assert_eq!(si(12_345_678.0), "12.3M");
        assert_eq!(nice_step(10_000.0, 5.0), 2_000.0);
        assert_eq!(nice_step(7.0, 5.0), 2.0);
    }
}
