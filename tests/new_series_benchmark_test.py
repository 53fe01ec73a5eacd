"""`benchmarks/new_series.py`: a collection split into series to train on and series never seen."""

import csv

import benchmark_scripts


def test_a_share_of_the_series_is_held_out_whole_the_same_each_run(tmp_path):
    new_series = benchmark_scripts.load("new_series")
    path = tmp_path / "long.csv"
    rows = [["store", "kind", "date", "value"]] + [
        [f"s{index}", "big" if index % 2 else "small", f"2000-0{month}-01", str(month)]
        for index in range(8) for month in range(1, 4)
    ]
    with open(path, "w", newline="") as f:
        csv.writer(f).writerows(rows)
    paths, trained, held = new_series.split_file(str(path), ["store"], 0.25, tmp_path / "a")
    assert (trained, held) == (6, 2)

    def series_of(file):
        with open(file, newline="") as f:
            read = list(csv.reader(f))
        assert read[0] == rows[0]
        return {row[0]: [r for r in read[1:] if r[0] == row[0]] for row in read[1:]}

    train, new = series_of(paths["train"]), series_of(paths["new"])
    assert not set(train) & set(new) and len(set(train) | set(new)) == 8
    # Each series whole, in the file's order; the draw is the same every run.
    assert all(len(rows) == 3 for rows in {**train, **new}.values())
    again, _, _ = new_series.split_file(str(path), ["store"], 0.25, tmp_path / "b")
    assert set(series_of(again["new"])) == set(new)
    # R's row names are numbered afresh in each file.
    named = tmp_path / "named.csv"
    with open(named, "w", newline="") as f:
        csv.writer(f).writerows([["rownames", *rows[0]]] + [
            [str(number), *row] for number, row in enumerate(rows[1:], start=1)
        ])
    paths, _, _ = new_series.split_file(str(named), ["store"], 0.25, tmp_path / "c")
    for file in paths.values():
        with open(file, newline="") as f:
            numbers = [row[0] for row in list(csv.reader(f))[1:]]
        assert numbers == [str(n) for n in range(1, len(numbers) + 1)]
