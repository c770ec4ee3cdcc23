"""Styles shared by scripts/plot's figures: one colour, marker and line
style per series, distinct for 16 and more series (tab20's colours, then
the next marker and dash for each further lap), and the legend outside the
axes so it covers neither the data nor the title."""
import itertools

MARKERS = ["o", "s", "^", "D", "v", "P", "X", "<", ">", "h", "*", "p"]
DASHES = ["-", "--", ":", "-."]


def series_styles(names):
    """{name: dict(color=, marker=, linestyle=)} for names in sorted order,
    stable for a given set of names (a figure's styles do not depend on
    the order its rows came in)."""
    import matplotlib

    colours = matplotlib.colormaps["tab20"].colors
    # tab20's dark shades first, then its light ones: neighbours differ most.
    order = list(colours[0::2]) + list(colours[1::2])
    styles = {}
    for i, name in enumerate(sorted(names)):
        lap = i // len(order)
        styles[name] = dict(color=order[i % len(order)], marker=MARKERS[(i + lap) % len(MARKERS)],
                            linestyle=DASHES[(i // len(MARKERS) + lap) % len(DASHES)])
    return styles


def legend_outside(ax, title=None, fig=None):
    """The legend to the right of the axes, in as many columns as its
    entries need to fit the figure's height."""
    handles, labels = ax.get_legend_handles_labels()
    if not handles:
        return
    ncol = 1 if len(handles) <= 18 else 2
    ax.legend(handles, labels, title=title, loc="upper left", bbox_to_anchor=(1.01, 1.0), borderaxespad=0,
              fontsize=8, title_fontsize=9, ncol=ncol, frameon=False)


def styled(styles, name, line=True):
    """Keyword arguments for ax.plot (line=True) or ax.scatter for one series."""
    s = styles[name]
    if line:
        return dict(color=s["color"], marker=s["marker"], linestyle=s["linestyle"], markersize=5)
    return dict(color=s["color"], marker=s["marker"])


