"""tools/function_length.py, the check `make lint` runs: it names each function over the limit."""

from tools.function_length import long_functions


def _function(name: str, lines: int, decorator: bool = False) -> str:
    head = ["@decorated"] if decorator else []
    body = [f"    x{i} = {i}" for i in range(lines - len(head) - 2)]
    return "\n".join([*head, f"def {name}():", *body, "    return 0", ""])


def test_a_function_over_the_limit_is_named_with_its_length(tmp_path):
    (tmp_path / "feature").mkdir()
    (tmp_path / "feature" / "services.py").write_text(
        _function("short_enough", 40) + _function("too_long", 41)
    )
    found = long_functions(tmp_path, limit=40)
    assert [(p.name, name, length) for p, _, name, length in found] == [
        ("services.py", "too_long", 41)
    ]


def test_decorators_count_and_methods_are_checked(tmp_path):
    source = "class Thing:\n" + "\n".join(
        "    " + line for line in _function("method", 39, decorator=True).splitlines()
    )
    (tmp_path / "models.py").write_text(source + "\n" + _function("view", 41, decorator=True))
    found = long_functions(tmp_path, limit=40)
    assert [(name, length) for _, _, name, length in found] == [("view", 41)]


def test_migrations_are_left_out(tmp_path):
    (tmp_path / "migrations" / "versions").mkdir(parents=True)
    (tmp_path / "migrations" / "versions" / "0001_start.py").write_text(_function("upgrade", 200))
    assert long_functions(tmp_path, limit=40) == []
