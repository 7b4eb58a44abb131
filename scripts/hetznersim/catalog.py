"""Static Hetzner Cloud facts the simulator hands out: server types, locations, images.

The figures (vCPU, GB of memory, GB of disk) are the public ones for each type, so that
code sizing nodes from a server type sees what it would see against the real API.
"""

from __future__ import annotations

from typing import Any

# name: (id, cores, memory GB, disk GB, cpu_type, description)
_SERVER_TYPES: dict[str, tuple[int, int, float, int, str, str]] = {
    "cx22": (104, 2, 4.0, 40, "shared", "CX22"),
    "cx32": (105, 4, 8.0, 80, "shared", "CX32"),
    "cx42": (106, 8, 16.0, 160, "shared", "CX42"),
    "cx52": (107, 16, 32.0, 320, "shared", "CX52"),
    "cpx11": (22, 2, 2.0, 40, "shared", "CPX 11"),
    "cpx21": (23, 3, 4.0, 80, "shared", "CPX 21"),
    "cpx31": (24, 4, 8.0, 160, "shared", "CPX 31"),
    "cpx41": (25, 8, 16.0, 240, "shared", "CPX 41"),
    "cpx51": (26, 16, 32.0, 360, "shared", "CPX 51"),
    "ccx13": (96, 2, 8.0, 80, "dedicated", "CCX13 Dedicated CPU"),
    "ccx23": (97, 4, 16.0, 160, "dedicated", "CCX23 Dedicated CPU"),
    "ccx33": (98, 8, 32.0, 240, "dedicated", "CCX33 Dedicated CPU"),
}

# name: (id, description, country, city, latitude, longitude, network zone, datacenter)
_LOCATIONS: dict[str, tuple[int, str, str, str, float, float, str, tuple[int, str]]] = {
    "fsn1": (1, "Falkenstein DC Park 1", "DE", "Falkenstein", 50.47612, 12.370071,
             "eu-central", (4, "fsn1-dc14")),
    "nbg1": (2, "Nuremberg DC Park 1", "DE", "Nuremberg", 49.452102, 11.076665,
             "eu-central", (2, "nbg1-dc3")),
    "hel1": (3, "Helsinki DC Park 1", "FI", "Helsinki", 60.169855, 24.938379,
             "eu-central", (3, "hel1-dc2")),
    "ash": (4, "Ashburn, VA", "US", "Ashburn, VA", 39.045821, -77.487073,
            "us-east", (5, "ash-dc1")),
    "hil": (5, "Hillsboro, OR", "US", "Hillsboro, OR", 45.54222, -122.951924,
            "us-west", (6, "hil-dc1")),
    "sin": (6, "Singapore", "SG", "Singapore", 1.283333, 103.833333,
            "ap-southeast", (7, "sin-dc1")),
}

DEFAULT_LOCATION = "fsn1"

# name: (id, os_flavor, os_version)
_IMAGES: dict[str, tuple[int, str, str]] = {
    "ubuntu-22.04": (67794396, "ubuntu", "22.04"),
    "ubuntu-24.04": (161547269, "ubuntu", "24.04"),
    "debian-12": (114690387, "debian", "12"),
    "fedora-41": (203684924, "fedora", "41"),
    "rocky-9": (76766499, "rocky", "9"),
}

# The HTTP status the real API pairs with each error code; used when a fault rule names a
# code but no status.
DEFAULT_STATUS_FOR_CODE: dict[str, int] = {
    "invalid_input": 422,
    "json_error": 400,
    "unauthorized": 401,
    "forbidden": 403,
    "resource_limit_exceeded": 403,
    "not_found": 404,
    "conflict": 409,
    "uniqueness_error": 409,
    "placement_error": 412,
    "resource_unavailable": 412,
    "no_space_left_in_location": 412,
    "locked": 423,
    "rate_limit_exceeded": 429,
    "server_error": 500,
    "bad_gateway": 502,
    "unavailable": 503,
    "maintenance": 503,
    "timeout": 504,
}


def server_type_names() -> list[str]:
    """Every known server type name, in catalogue order."""
    return list(_SERVER_TYPES)


def location_names() -> list[str]:
    """Every known location name, in catalogue order."""
    return list(_LOCATIONS)


def find_server_type(ref: Any) -> str | None:
    """The type name for a name or numeric id, or None when unknown."""
    for name, row in _SERVER_TYPES.items():
        if ref == name or (isinstance(ref, int) and ref == row[0]):
            return name
    return None


def find_location(ref: Any) -> str | None:
    """The location name for a location name, id or datacenter name; None when unknown."""
    for name, row in _LOCATIONS.items():
        if ref in (name, row[7][1]) or (isinstance(ref, int) and ref == row[0]):
            return name
    return None


def server_type_payload(name: str) -> dict[str, Any]:
    """The `server_type` object as the API embeds it in a server."""
    type_id, cores, memory, disk, cpu_type, description = _SERVER_TYPES[name]
    return {
        "id": type_id,
        "name": name,
        "description": description,
        "category": "dedicated" if cpu_type == "dedicated" else "shared",
        "cores": cores,
        "memory": memory,
        "disk": disk,
        "deprecated": False,
        "deprecation": None,
        "prices": [],
        "storage_type": "local",
        "cpu_type": cpu_type,
        "architecture": "x86",
        "included_traffic": 21990232555520,
        "locations": [
            {"id": row[0], "name": loc, "deprecation": None, "available": True,
             "recommended": True}
            for loc, row in _LOCATIONS.items()
        ],
    }


def location_payload(name: str) -> dict[str, Any]:
    """The `location` object as the API embeds it in a server or datacenter."""
    loc_id, description, country, city, lat, lon, zone, _ = _LOCATIONS[name]
    return {
        "id": loc_id,
        "name": name,
        "description": description,
        "country": country,
        "city": city,
        "latitude": lat,
        "longitude": lon,
        "network_zone": zone,
    }


def datacenter_payload(name: str) -> dict[str, Any]:
    """The (deprecated but still sent) `datacenter` object for a location."""
    dc_id, dc_name = _LOCATIONS[name][7]
    type_ids = [row[0] for row in _SERVER_TYPES.values()]
    return {
        "id": dc_id,
        "name": dc_name,
        "description": f"{name.upper()} virtual DC",
        "location": location_payload(name),
        "server_types": {"supported": type_ids, "available": type_ids,
                         "available_for_migration": type_ids},
    }


def image_payload(ref: Any) -> dict[str, Any]:
    """The `image` object for a system image name; other references become snapshots."""
    known = _IMAGES.get(ref) if isinstance(ref, str) else None
    if known is None:
        image_id = ref if isinstance(ref, int) else 1
        return _image(image_id, None, "snapshot", str(ref), "unknown", None)
    image_id, flavor, version = known
    return _image(image_id, ref, "system", ref, flavor, version)


def _image(image_id: int, name: str | None, kind: str, description: str, flavor: str,
           version: str | None) -> dict[str, Any]:
    return {
        "id": image_id,
        "type": kind,
        "status": "available",
        "name": name,
        "description": description,
        "image_size": None,
        "disk_size": 5,
        "created": "2024-01-01T00:00:00+00:00",
        "created_from": None,
        "bound_to": None,
        "os_flavor": flavor,
        "os_version": version,
        "rapid_deploy": kind == "system",
        "protection": {"delete": False},
        "deprecated": None,
        "deleted": None,
        "labels": {},
        "architecture": "x86",
    }
