//! Two small chart writers, producing standalone SVG by plain string building: a bar chart
//! with error bars (throughput per configuration) and a line chart whose series are lines or
//! dots with error bars (live heap against events processed; measured gains against Amdahl's
//! law).

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

/// One series of a line chart.
#[derive(Clone, Debug, PartialEq)]
pub struct Series {
    pub name: String,
    pub points: Vec<(f64, f64)>,
    /// For each point, the lowest and highest value measured (an error bar); empty for none.
    pub spread: Vec<(f64, f64)>,
    /// Dots at the points instead of a line through them.
    pub dots: bool,
}

impl Series {
    pub fn line(name: &str, points: Vec<(f64, f64)>) -> Self {
        Series {
            name: name.to_string(),
            points,
            spread: Vec::new(),
            dots: false,
        }
    }
}

/// One bar: its value, and an error bar from `low` to `high`.
#[derive(Clone, Debug, PartialEq)]
pub struct Bar {
    /// Words on separate lines under the bar.
    pub label: Vec<String>,
    pub value: f64,
    pub low: f64,
    pub high: f64,
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

fn header(out: &mut String, title: &str, width: f64) {
    let _ = write!(
        out,
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n\
         <svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{width}\" height=\"{HEIGHT}\" \
         viewBox=\"0 0 {width} {HEIGHT}\" font-family=\"sans-serif\" font-size=\"13\">\n\
         <title>{t}</title>\n\
         <rect width=\"{width}\" height=\"{HEIGHT}\" fill=\"white\"/>\n\
         <text x=\"{x}\" y=\"28\" text-anchor=\"middle\" font-size=\"16\" \
         font-weight=\"bold\">{t}</text>\n",
        t = escape(title),
        x = width / 2.0,
    );
}

/// Horizontal grid lines and labels of the y axis, from 0 to `y_max` (returned, rounded up).
fn y_axis(out: &mut String, y_max: f64, label: &str, width: f64) -> f64 {
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
            x2 = width - RIGHT,
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
        r = width - RIGHT,
    );
    top
}

/// A vertical error bar from `low` to `high` at `x` (in pixels), with caps.
fn error_bar(out: &mut String, x: f64, low_y: f64, high_y: f64) {
    let _ = write!(
        out,
        "<path class=\"error-bar\" d=\"M{x:.1} {low_y:.1}V{high_y:.1}M{a:.1} {low_y:.1}H{b:.1}\
         M{a:.1} {high_y:.1}H{b:.1}\" stroke=\"black\" stroke-width=\"1.2\" fill=\"none\"/>",
        a = x - 5.0,
        b = x + 5.0,
    );
}

// ANCHOR: bar_chart
/// A bar chart with one labelled bar per [`Bar`], its error bar spanning `low..high`.
pub fn bar_chart(title: &str, y_label: &str, bars: &[Bar]) -> String {
    let width = WIDTH.max(LEFT + RIGHT + 112.0 * bars.len() as f64);
    let mut out = String::new();
    header(&mut out, title, width);
    let y_max = bars.iter().map(|b| b.high.max(b.value)).fold(0.0, f64::max);
    let top = y_axis(&mut out, y_max, y_label, width);
    let plot_w = width - LEFT - RIGHT;
    let plot_h = HEIGHT - TOP - BOTTOM;
    let slot = plot_w / bars.len().max(1) as f64;
    let y_of = |v: f64| TOP + plot_h - v.max(0.0) / top * plot_h;
    for (i, bar) in bars.iter().enumerate() {
        let x = LEFT + slot * i as f64 + slot * 0.2;
        let y = y_of(bar.value);
        let cx = x + slot * 0.3;
        let name = bar.label.join(" ");
        let _ = write!(
            out,
            "<g class=\"bar\"><title>{n}: {v} (error bar: {lo}..{hi})</title>\
             <rect x=\"{x:.1}\" y=\"{y:.1}\" width=\"{w:.1}\" height=\"{h:.1}\" fill=\"{c}\"/>",
            n = escape(&name),
            v = si(bar.value),
            lo = si(bar.low),
            hi = si(bar.high),
            w = slot * 0.6,
            h = TOP + plot_h - y,
            c = COLORS[i % COLORS.len()],
        );
        error_bar(&mut out, cx, y_of(bar.low), y_of(bar.high));
        let _ = write!(
            out,
            "<text x=\"{cx:.1}\" y=\"{vy:.1}\" text-anchor=\"middle\">{v}</text>",
            vy = y_of(bar.high) - 6.0,
            v = si(bar.value),
        );
        for (line, word) in bar.label.iter().enumerate() {
            let _ = write!(
                out,
                "<text x=\"{cx:.1}\" y=\"{ny:.1}\" text-anchor=\"middle\">{w}</text>",
                ny = HEIGHT - BOTTOM + 18.0 + 16.0 * line as f64,
                w = escape(word),
            );
        }
        out.push_str("</g>\n");
    }
    out.push_str("</svg>\n");
    out
}
// ANCHOR_END: bar_chart

/// A line chart, one polyline (or row of dots) per series, with a legend; both axes start at 0.
pub fn line_chart(title: &str, x_label: &str, y_label: &str, series: &[Series]) -> String {
    let mut out = String::new();
    header(&mut out, title, WIDTH);
    let points = || series.iter().flat_map(|s| s.points.iter());
    let x_max = points().map(|p| p.0).fold(0.0, f64::max);
    let y_max = points()
        .map(|p| p.1)
        .chain(series.iter().flat_map(|s| s.spread.iter().map(|e| e.1)))
        .fold(0.0, f64::max);
    let top = y_axis(&mut out, y_max, y_label, WIDTH);
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

    let px = |x: f64| LEFT + x / right * plot_w;
    let py = |y: f64| TOP + plot_h - y.max(0.0) / top * plot_h;
    for (i, s) in series.iter().enumerate() {
        let color = COLORS[i % COLORS.len()];
        let ly = TOP + 12.0 + 20.0 * i as f64;
        let _ = write!(
            out,
            "<g class=\"series\"><title>{}</title>",
            escape(&s.name)
        );
        if s.dots {
            for (n, &(x, y)) in s.points.iter().enumerate() {
                if let Some(&(low, high)) = s.spread.get(n) {
                    error_bar(&mut out, px(x), py(low), py(high));
                }
                let _ = write!(
                    out,
                    "<circle cx=\"{:.1}\" cy=\"{:.1}\" r=\"4.5\" fill=\"{color}\"/>",
                    px(x),
                    py(y)
                );
            }
            let _ = write!(
                out,
                "<circle cx=\"{:.1}\" cy=\"{ly}\" r=\"4.5\" fill=\"{color}\"/>",
                LEFT + 28.0
            );
        } else {
            let coords: Vec<String> = s
                .points
                .iter()
                .map(|&(x, y)| format!("{:.1},{:.1}", px(x), py(y)))
                .collect();
            let _ = write!(
                out,
                "<polyline fill=\"none\" stroke=\"{color}\" stroke-width=\"2.5\" points=\"{p}\"/>\
                 <line x1=\"{lx1}\" y1=\"{ly}\" x2=\"{lx2}\" y2=\"{ly}\" stroke=\"{color}\" \
                 stroke-width=\"3\"/>",
                p = coords.join(" "),
                lx1 = LEFT + 16.0,
                lx2 = LEFT + 40.0,
            );
        }
        let _ = writeln!(
            out,
            "<text x=\"{tx}\" y=\"{ty}\">{n}</text></g>",
            n = escape(&s.name),
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
        let bar = |label: &[&str], value: f64| Bar {
            label: label.iter().map(|w| w.to_string()).collect(),
            value,
            low: value * 0.9,
            high: value * 1.1,
        };
        let bars = vec![
            bar(&["arc-mutex", "2 workers"], 1_250_000.0),
            bar(&["arc-mutex-weak"], 1_300_000.0),
            bar(&["arena <fast> & \"lean\""], 4_000_000.0),
        ];
        let svg = bar_chart("Throughput", "events/s", &bars);
        assert_well_formed(&svg);
        assert_eq!(svg.matches("<g class=\"bar\">").count(), 3);
        assert_eq!(svg.matches("class=\"error-bar\"").count(), 3);
        assert!(svg.contains(">arc-mutex<") && svg.contains(">2 workers<"));
        assert!(svg.contains("arena &lt;fast&gt; &amp; &quot;lean&quot;"));
        assert!(svg.contains(">1.25M<") && svg.contains(">4M<"));
    }

    #[test]
    fn line_chart_is_well_formed_and_draws_each_series() {
        let series = vec![
            Series::line(
                "grows",
                vec![(0.0, 0.0), (1_000.0, 5_000.0), (2_000.0, 10_000.0)],
            ),
            Series::line(
                "flat",
                vec![(0.0, 0.0), (1_000.0, 3_000.0), (2_000.0, 3_000.0)],
            ),
            Series {
                name: "measured".into(),
                points: vec![(500.0, 2_000.0), (1_500.0, 4_000.0)],
                spread: vec![(1_500.0, 2_500.0), (3_000.0, 5_000.0)],
                dots: true,
            },
        ];
        let svg = line_chart("Live heap", "events", "bytes", &series);
        assert_well_formed(&svg);
        assert_eq!(svg.matches("<polyline").count(), 2);
        assert_eq!(svg.matches("<circle").count(), 3, "two dots and a legend");
        assert_eq!(svg.matches("class=\"error-bar\"").count(), 2);
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
