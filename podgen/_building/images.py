"""The containers `kubectl create deployment` makes of its images, each named after its image."""

from __future__ import annotations

from podgen._errors import SpecError, quoted
from podgen._model.spec import Container, PodRequest


def more_containers(request: PodRequest, app_name: str) -> tuple[Container, ...]:
    """A container for each image after the first, as kubectl create deployment writes them.

    Two containers of one name are refused, as the API server refuses them; kubectl would
    tell apart names it made from a '.' or '_' with its random suffix, podgen has none.
    """
    containers: list[Container] = []
    named = {app_name: quoted(request.image)}
    if request.container_name == app_name:
        named[app_name] = "{containerName}"
    for image in request.more_images:
        name = container_name_from_image(image)
        if name in named:
            raise SpecError(
                "image",
                f"{named[name]} and {quoted(image)} both give the container name {quoted(name)}"
                "; a pod's containers need different names",
            )
        named[name] = quoted(image)
        containers.append(Container(name=name, image=image))
    return tuple(containers)


def container_name_from_image(image: str) -> str:
    """Name a container after its image, as kubectl create deployment does.

    kubectl keeps the last path segment without tag or digest and, when that holds '.' or '_',
    replaces them with '-' and appends five random characters. podgen output is deterministic,
    so it replaces the characters and appends nothing.
    """
    name = image.split("/")[-1].split(":")[0].split("@")[0]
    return name.replace("_", "-").replace(".", "-")
