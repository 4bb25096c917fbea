"""Imports a Modal app file with the real `modal` package, offline, and prints as JSON what the
app would ask Modal for: the function's GPU, timeout, concurrency, containers, secrets and web
server settings, and the image recipe as Dockerfile lines plus the local files it copies in.

usage: python modal_probe.py path/to/reel_modal.py

Modal builds images and functions lazily (nothing is sent until `modal deploy`), so most of this
is read from the objects' definitions: the public `Function.info()` where it says enough, and
the client's private fields (the web server config, the autoscaler settings, the image layers'
Dockerfile functions) where it does not. Those private names are those of the `modal` version
the test pins; `constants` holds the module's own settings for whatever cannot be read.
"""

import importlib.util
import json
import sys
import warnings

warnings.simplefilter("ignore")  # modal's deprecation notices would go to stderr; keep it for errors

import modal
from modal._image import _Image
from modal._utils.async_utils import synchronizer

# The image builder version whose Dockerfile lines are printed (one of modal's ImageBuilderVersion).
BUILDER_VERSION = "2025.06"


def closure(function):
    """The variables a function closes over, by name."""
    cells = function.__closure__ or ()
    return dict(zip(function.__code__.co_freevars, (cell.cell_contents for cell in cells)))


def image_layers(image, commands, files, seen):
    """Appends the Dockerfile lines and copied files of `image` and its bases, base first."""
    if id(image) in seen:
        return
    seen.add(id(image))
    captured = closure(image._load)
    if "single_layer_image" in captured:  # Image.from_registry(add_python=…) picks one of two at load time
        image_layers(captured["single_layer_image"], commands, files, seen)
        return
    for base in (captured.get("base_images") or {}).values():
        image_layers(base, commands, files, seen)
    dockerfile = captured.get("dockerfile_function")
    if dockerfile is not None:
        commands.extend(dockerfile(BUILDER_VERSION).commands)
    context = captured.get("context_mount_function")
    mount = context(BUILDER_VERSION) if context is not None else None
    for entry in (getattr(mount, "_entries", None) or []):
        if hasattr(entry, "local_file"):
            files.append([str(entry.local_file), str(entry.remote_path)])


def main(path):
    spec = importlib.util.spec_from_file_location("reel_modal_under_test", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)

    functions = {name: value for name, value in vars(module).items() if isinstance(value, modal.Function)}
    apps = [value for value in vars(module).values() if isinstance(value, modal.App)]
    report = {
        "modal_version": modal.__version__,
        "apps": [app.name for app in apps],
        "functions": sorted(functions),
        "constants": {
            name: value
            for name, value in vars(module).items()
            if name.isupper() and isinstance(value, (str, int, list, dict))
        },
    }

    serve = functions.get("serve")
    if serve is not None:
        info = serve.info()
        implementation = synchronizer._translate_in(serve)
        web = implementation._webhook_config
        loader = closure(implementation._load)
        report["function"] = {
            "app": implementation._app.name if implementation._app else None,
            "gpus": [f"{kind}:{count}" for kind, count in info.gpus],
            "timeout": info.timeout,
            "max_inputs": info.concurrency_info.max_inputs if info.concurrency_info else None,
            "max_containers": loader["autoscaler_settings"].max_containers,
            "secrets": info.secrets,
            "is_web": info.web_info is not None,
            "web_server_port": web.web_server_port,
            "web_server_startup_timeout": web.web_server_startup_timeout,
            "requires_proxy_auth": web.requires_proxy_auth,
            "uses_module_image": implementation._spec.image is synchronizer._translate_in(module.image),
        }

    commands, files = [], []
    image_layers(synchronizer._translate_in(module.image), commands, files, set())
    report["dockerfile"] = commands
    report["copied_files"] = files
    print(json.dumps(report, indent=1))


if __name__ == "__main__":
    main(sys.argv[1])
