#!/usr/bin/env python3
"""Writes Swift message structs for every message in a FileDescriptorSet.

Input: a FileDescriptorSet from `protoc --include_imports --include_source_info
--descriptor_set_out=...` (source info is optional; it only supplies doc comments).
Output: `<out-dir>/<proto base name>.pb.swift`, one per .proto file in the set, holding a
struct per message, an open RawRepresentable struct per enum and a `<Service>RPC` enum of
method paths per service.

The Swift encodes and decodes through the protoc-c output (target CNodeSelectorProto), so
it names C types and functions the way protoc-c derives them from proto names. Pass
--c-include-dir to check each derived name against the generated headers first.

Supported: proto3 files with scalar, string, bytes, enum and message fields, singular or
repeated, and unary methods. Anything else (proto2, oneof, map, streaming, a message that
contains itself) stops generation with a message, rather than producing wrong Swift.

Run it through scripts/generate. The output is a pure function of the descriptor set.
"""

import argparse
import re
import sys
import textwrap
from pathlib import Path

from google.protobuf import descriptor_pb2

FDP = descriptor_pb2.FieldDescriptorProto
HEADER_MARK = "DO NOT EDIT."
MAX_COLUMNS = 100

SWIFT_KEYWORDS = set(
    "associatedtype class deinit enum extension fileprivate func import init inout internal "
    "let open operator private precedencegroup protocol public rethrows static struct "
    "subscript typealias var break case catch continue default defer do else fallthrough for "
    "guard if in repeat return throw switch where while Any as await false is nil self Self "
    "super throws true try".split()
)
# Names the generated code itself uses; a proto type with one of them would shadow it.
TAKEN_TYPE_NAMES = set(
    "String Int Int32 Int64 UInt32 UInt64 UInt8 Float Double Bool Optional Array CField "
    "CArena ProtobufCCodec WireMessage RPCMethod MessageDecodingError CChar".split()
)
TAKEN_MEMBER_NAMES = {"serializedBytes", "cMessage"}
# protoc-c appends "_" to a field named like one of these in the C struct.
C_KEYWORDS = set(
    "auto break case char const continue default do double else enum extern float for goto if "
    "inline int long register restrict return short signed sizeof static struct switch "
    "typedef union unsigned void volatile while _Bool _Complex _Imaginary".split()
)

SCALARS = {  # proto type -> Swift type
    FDP.TYPE_DOUBLE: "Double", FDP.TYPE_FLOAT: "Float",
    FDP.TYPE_INT64: "Int64", FDP.TYPE_SFIXED64: "Int64", FDP.TYPE_SINT64: "Int64",
    FDP.TYPE_UINT64: "UInt64", FDP.TYPE_FIXED64: "UInt64",
    FDP.TYPE_INT32: "Int32", FDP.TYPE_SFIXED32: "Int32", FDP.TYPE_SINT32: "Int32",
    FDP.TYPE_UINT32: "UInt32", FDP.TYPE_FIXED32: "UInt32",
}


def fail(message):
    sys.exit(f"gen_swift_messages: {message}")


# --- names -----------------------------------------------------------------------------------


def camel_to_snake(name):
    """`SelectNodeRequest` -> `select_node_request`, as protoc-c spells function names."""
    out, previous_upper = [], True
    for char in name:
        if char.isupper() and not previous_upper:
            out.append("_")
        previous_upper = char.isupper()
        out.append(char.lower())
    return "".join(out)


def lower_camel(words):
    """[`user`, `id`] -> `userID`: lowerCamelCase, with `id` as `ID` after the first word."""
    words = [w.lower() for w in words if w]
    rest = ["ID" if w == "id" else w[:1].upper() + w[1:] for w in words[1:]]
    return "".join(words[:1] + rest)


def escaped(name):
    return f"`{name}`" if name in SWIFT_KEYWORDS else name


class ProtoType:
    """A message or enum, with its Swift and C names."""

    def __init__(self, kind, descriptor, file, package, outer_names, path, parent):
        self.kind = kind
        self.descriptor = descriptor
        self.file = file
        self.path = path
        self.parent = parent
        names = outer_names + [descriptor.name]
        self.full_name = ".".join(([package] if package else []) + names)
        self.swift_name = ".".join(names)
        self.simple_name = descriptor.name
        package_parts = package.split(".") if package else []
        self.c_type = "__".join([p[:1].upper() + p[1:] for p in package_parts] + names)
        self.c_function = "__".join(package_parts + [camel_to_snake(n) for n in names])
        # Member names of the C struct, once read from the protoc-c header.
        self.c_members = None

    def c_member(self, name):
        """The C struct member for `name`, as protoc-c spells it."""
        if self.c_members is None:
            return name + "_" if name in C_KEYWORDS else name
        for candidate in (name, name + "_"):
            if candidate in self.c_members:
                return candidate
        fail(f"{self.full_name}: the protoc-c struct {self.c_type} has no member for {name}")


class TypeTable:
    """Every message and enum in the set, by full proto name."""

    def __init__(self, files):
        self.by_name = {}
        self.ordered = []
        for file in files:
            if file.syntax != "proto3":
                fail(f"{file.name}: only proto3 is supported (protoc-c adds has_ fields)")
            for index, enum in enumerate(file.enum_type):
                self._add("enum", enum, file, [], [5, index], None)
            for index, message in enumerate(file.message_type):
                self._add_message(message, file, [], [4, index], None)
        top_level = [t.swift_name for t in self.ordered if t.parent is None]
        for name in sorted(set(top_level)):
            if top_level.count(name) > 1:
                fail(f"two packages define {name}; Swift names carry no package prefix")
            if name in TAKEN_TYPE_NAMES:
                fail(f"a proto type named {name} would shadow a Swift type the code uses")

    def _add(self, kind, descriptor, file, outer, path, parent):
        proto_type = ProtoType(kind, descriptor, file, file.package, outer, path, parent)
        self.by_name["." + proto_type.full_name] = proto_type
        self.ordered.append(proto_type)
        return proto_type

    def _add_message(self, message, file, outer, path, parent):
        if message.options.map_entry:
            fail(f"{file.name}: map fields are not supported ({message.name})")
        proto_type = self._add("message", message, file, outer, path, parent)
        inner = outer + [message.name]
        for index, enum in enumerate(message.enum_type):
            self._add("enum", enum, file, inner, path + [4, index], proto_type)
        for index, nested in enumerate(message.nested_type):
            self._add_message(nested, file, inner, path + [3, index], proto_type)

    def lookup(self, type_name):
        if type_name not in self.by_name:
            fail(f"unknown type {type_name}; was protoc run with --include_imports?")
        return self.by_name[type_name]

    def types_in_file(self, file_name):
        return [t for t in self.ordered if t.file.name == file_name]

    def children(self, parent):
        return [t for t in self.ordered if t.parent is parent]


# --- doc comments ----------------------------------------------------------------------------


class Comments:
    """Leading and trailing comments from a file's source info, by descriptor path."""

    def __init__(self, file):
        self.by_path = {}
        for location in file.source_code_info.location:
            text = location.leading_comments + location.trailing_comments
            if text.strip():
                self.by_path[tuple(location.path)] = text

    def doc(self, path, indent):
        text = self.by_path.get(tuple(path))
        if text is None:
            return []
        lines = [line[1:] if line.startswith(" ") else line for line in text.split("\n")]
        lines = [line.rstrip() for line in lines]
        while lines and not lines[0]:
            lines.pop(0)
        while lines and not lines[-1]:
            lines.pop()
        prefix = " " * indent + "/// "
        out = []
        for line in lines:
            wrapped = textwrap.wrap(line, MAX_COLUMNS - len(prefix)) or [""]
            out += [(prefix + part).rstrip() for part in wrapped]
        return out


# --- fields ----------------------------------------------------------------------------------


class Field:
    """One field's Swift declaration and its copy to and from the protoc-c struct."""

    def __init__(self, descriptor, owner, table):
        self.descriptor = descriptor
        self.c_name = owner.c_member(descriptor.name)
        self.name = lower_camel(descriptor.name.split("_"))
        self.repeated = descriptor.label == FDP.LABEL_REPEATED
        self.c_count = owner.c_member("n_" + self.c_name) if self.repeated else None
        self.type = descriptor.type
        self.target = None
        where = f"{owner.full_name}.{descriptor.name}"
        if descriptor.HasField("oneof_index"):
            fail(f"{where}: oneof and proto3 optional are not supported (protoc-c 1.4)")
        if self.name in TAKEN_MEMBER_NAMES:
            fail(f"{where}: its Swift name {self.name} is taken by WireMessage")
        if self.type in (FDP.TYPE_MESSAGE, FDP.TYPE_ENUM):
            self.target = table.lookup(descriptor.type_name)
        elif self.type not in SCALARS and self.type not in (
            FDP.TYPE_BOOL, FDP.TYPE_STRING, FDP.TYPE_BYTES
        ):
            fail(f"{where}: field type {self.type} is not supported")

    def element_type(self):
        if self.target is not None:
            return self.target.swift_name
        return SCALARS.get(self.type) or {
            FDP.TYPE_BOOL: "Bool", FDP.TYPE_STRING: "String", FDP.TYPE_BYTES: "[UInt8]"
        }[self.type]

    def declaration(self):
        element = self.element_type()
        if self.repeated:
            return f"public var {escaped(self.name)}: [{element}] = []"
        if self.type == FDP.TYPE_MESSAGE:
            return f"public var {escaped(self.name)}: {element}?"
        default = {
            FDP.TYPE_BOOL: "false", FDP.TYPE_STRING: '""', FDP.TYPE_BYTES: "[]",
            FDP.TYPE_ENUM: ".init(rawValue: 0)",
        }.get(self.type, "0")
        return f"public var {escaped(self.name)}: {element} = {default}"

    def decode(self):
        """The expression that reads this field from `c`, an unpacked C struct."""
        value = f"c.{self.c_name}"
        if self.repeated:
            count = f"count: c.{self.c_count}"
            if self.type == FDP.TYPE_MESSAGE:
                copy = f"{self.target.swift_name}.init(copying:)"
                return f"CField.messages({value}, {count}, {copy})"
            return f"CField.array({value}, {count}) {{ {self._decode_element('$0')} }}"
        if self.type == FDP.TYPE_MESSAGE:
            return f"CField.message({value}, {self.target.swift_name}.init(copying:))"
        if self.type == FDP.TYPE_ENUM:
            return f".init(rawValue: Int32(truncatingIfNeeded: {value}.rawValue))"
        return self._decode_element(value)

    def _decode_element(self, value):
        if self.type == FDP.TYPE_BOOL:
            return f"{value} != 0"
        if self.type == FDP.TYPE_STRING:
            return f"CField.string({value})"
        if self.type == FDP.TYPE_BYTES:
            return f"CField.bytes({value})"
        if self.type == FDP.TYPE_ENUM:
            raw = f"Int32(truncatingIfNeeded: {value}.rawValue)"
            return f"{self.target.swift_name}(rawValue: {raw})"
        return value

    def encode(self):
        """Statements that store this field into `c`, a C struct owned by `arena`."""
        value = f"self.{escaped(self.name)}"
        target = f"c.pointee.{self.c_name}"
        if not self.repeated:
            if self.type == FDP.TYPE_MESSAGE:
                return [f"{target} = {value}.map {{ $0.cMessage(in: arena) }}"]
            return [f"{target} = {self._encode_element(value)}"]
        lines = [f"c.pointee.{self.c_count} = {value}.count"]
        if self.type == FDP.TYPE_MESSAGE:
            return lines + [f"{target} = arena.messages({value}) {{ $0.cMessage(in: $1) }}"]
        if self.type == FDP.TYPE_STRING:
            return lines + [f"{target} = arena.strings({value})"]
        element = self._encode_element("$0")
        if element == "$0":
            return lines + [f"{target} = arena.array({value})"]
        return lines + [f"{target} = arena.array({value}.map {{ {element} }})"]

    def _encode_element(self, value):
        if self.type == FDP.TYPE_BOOL:
            return f"protobuf_c_boolean({value} ? 1 : 0)"
        if self.type == FDP.TYPE_STRING:
            return f"arena.string({value})"
        if self.type == FDP.TYPE_BYTES:
            return f"arena.bytes({value})"
        if self.type == FDP.TYPE_ENUM:
            # The C enum type comes from the field being assigned.
            return f".init(rawValue: .init(truncatingIfNeeded: {value}.rawValue))"
        return value


def check_no_recursion(table):
    """A message holding itself through singular message fields would have infinite size."""

    def visit(proto_type, trail):
        if proto_type in trail:
            names = " -> ".join(t.full_name for t in trail + [proto_type])
            fail(f"recursive messages are not supported: {names}")
        for field in proto_type.descriptor.field:
            if field.type == FDP.TYPE_MESSAGE and field.label != FDP.LABEL_REPEATED:
                visit(table.lookup(field.type_name), trail + [proto_type])

    for proto_type in table.ordered:
        if proto_type.kind == "message":
            visit(proto_type, [])


# --- emitting --------------------------------------------------------------------------------


def wrapped(line):
    """Splits a line longer than MAX_COLUMNS at its trailing closure or its first call."""
    if len(line) <= MAX_COLUMNS:
        return [line]
    indent = " " * (len(line) - len(line.lstrip()))
    if line.endswith(" }") and " { " in line:
        head, body = line[:-2].split(" { ", 1)
        return [head + " {", indent + "  " + body, indent + "}"]
    if line.endswith(")") and "(" in line:
        head, body = line.split("(", 1)
        return [head + "(", indent + "  " + body[:-1], indent + ")"]
    return [line]


def emit_enum(proto_type, comments, indent):
    pad = " " * indent
    name = proto_type.simple_name
    values = list(proto_type.descriptor.value)
    prefix = camel_to_snake(name).upper() + "_"
    strip = all(
        v.name.startswith(prefix) and v.name[len(prefix):][:1].isalpha() for v in values
    )
    cases, seen_names, seen_numbers = [], set(), set()
    for index, value in enumerate(values):
        proto_name = (value.name[len(prefix):] if strip else value.name).lower()
        swift_name = lower_camel(proto_name.split("_"))
        if swift_name in seen_names:
            fail(f"{proto_type.full_name}: two values map to the Swift name {swift_name}")
        seen_names.add(swift_name)
        first = value.number not in seen_numbers
        seen_numbers.add(value.number)
        cases.append((index, value, proto_name, swift_name, first))

    out = comments.doc(proto_type.path, indent)
    out.append(f"{pad}public struct {name}: RawRepresentable, Hashable, Sendable, "
               "CustomStringConvertible {")
    out += [f"{pad}  public var rawValue: Int32", "",
            f"{pad}  public init(rawValue: Int32) {{",
            f"{pad}    self.rawValue = rawValue", f"{pad}  }}", ""]
    for index, value, _, swift_name, _ in cases:
        out += comments.doc(proto_type.path + [2, index], indent + 2)
        out.append(f"{pad}  public static let {escaped(swift_name)} = "
                   f"Self(rawValue: {value.number})")
    example = next((case[2] for case in cases if "_" in case[2]), cases[-1][2])
    out += ["", f'{pad}  /// The proto name, lowercased, without the enum\'s prefix ("{example}");',
            f'{pad}  /// a number this build does not know reads as "{name}(<number>)".',
            f"{pad}  public var description: String {{", f"{pad}    switch self.rawValue {{"]
    for _, value, proto_name, _, first in cases:
        if first:
            out.append(f'{pad}    case {value.number}: "{proto_name}"')
    out += [f'{pad}    default: "{name}(\\(self.rawValue))"', f"{pad}    }}", f"{pad}  }}",
            f"{pad}}}"]
    return out


def emit_message(proto_type, table, comments, indent):
    pad = " " * indent
    fields = [Field(f, proto_type, table) for f in proto_type.descriptor.field]
    names = [f.name for f in fields]
    if len(set(names)) != len(names):
        fail(f"{proto_type.full_name}: two fields map to the same Swift name")

    out = comments.doc(proto_type.path, indent)
    out.append(f"{pad}public struct {proto_type.simple_name}: WireMessage {{")
    for index, field in enumerate(fields):
        out += comments.doc(proto_type.path + [2, index], indent + 2)
        out.append(f"{pad}  {field.declaration()}")
    if fields:
        out.append("")
    out += [f"{pad}  public init() {{}}", ""]
    out += [pad + line if line else "" for line in codec_calls(proto_type)]
    for child in table.children(proto_type):
        out.append("")
        if child.kind == "enum":
            out += emit_enum(child, comments, indent + 2)
        else:
            out += emit_message(child, table, comments, indent + 2)
    out.append(f"{pad}}}")
    return out


def codec_calls(proto_type):
    """`init(serializedBytes:)` and `serializedBytes()`, through the per-message functions.

    protoc-c writes pack and unpack functions only for top-level messages; a nested message
    has just `..._init`, so it goes through protobuf-c's generic functions instead.
    """
    fn = proto_type.c_function
    if proto_type.parent is None:
        decode = ["ProtobufCCodec.decode(", f"unpack: {fn}__unpack,",
                  f"free: {fn}__free_unpacked,"]
        encode = ["ProtobufCCodec.encode(", f"size: {fn}__get_packed_size,",
                  f"pack: {fn}__pack"]
    else:
        decode = ["ProtobufCCodec.decodeNested(", f"initialize: {fn}__init,"]
        encode = ["ProtobufCCodec.encodeNested("]
    encode_arguments = ["build: self.cMessage(in:)" + ("," if encode[1:] else "")] + encode[1:]
    return [
        "  public init(serializedBytes bytes: [UInt8]) throws(MessageDecodingError) {",
        f"    self = try {decode[0]}",
        "      bytes,",
        f'      messageName: "{proto_type.full_name}",',
        *[f"      {line}" for line in decode[1:]],
        "      copy: Self.init(copying:)",
        "    )",
        "  }", "",
        "  public func serializedBytes() -> [UInt8] {",
        f"    {encode[0]}",
        *[f"      {line}" for line in encode_arguments],
        "    )",
        "  }",
    ]


def emit_bridge(proto_type, table):
    fields = [Field(f, proto_type, table) for f in proto_type.descriptor.field]
    fn = proto_type.c_function
    out = [
        f"extension {proto_type.swift_name} {{",
        f"  typealias CMessage = {proto_type.c_type}", "",
        f"  /// Copies a struct from `{fn}__unpack`.",
        "  init(copying c: CMessage) {",
    ]
    for field in fields:
        out += wrapped(f"    self.{escaped(field.name)} = {field.decode()}")
    out += [
        "  }", "",
        "  /// The C struct for packing; it and everything it points to belong to `arena`.",
        "  func cMessage(in arena: CArena) -> UnsafeMutablePointer<CMessage> {",
        f"    let c = arena.message({fn}__init)",
    ]
    for field in fields:
        for line in field.encode():
            out += wrapped("    " + line)
    out += ["    return c", "  }", "}"]
    return out


def emit_service(service, index, file, table, comments):
    name = service.name + "RPC"
    if name in (t.swift_name for t in table.ordered):
        fail(f"{file.name}: {name} is already a message or enum name")
    path = [6, index]
    out = comments.doc(path, 0) or [f"/// The methods of `{file.package}.{service.name}`."]
    out.append(f"public enum {name} {{")
    members = []
    for method_index, method in enumerate(service.method):
        if method.client_streaming or method.server_streaming:
            fail(f"{file.name}: streaming method {method.name} is not supported")
        member = escaped(lower_camel(camel_to_snake(method.name).split("_")))
        members.append(member)
        request = table.lookup(method.input_type).swift_name
        response = table.lookup(method.output_type).swift_name
        rpc_path = f"/{file.package}.{service.name}/{method.name}"
        out += comments.doc(path + [2, method_index], 2)
        line = f"  public static let {member} = RPCMethod<{request}, {response}>("
        if len(line) <= MAX_COLUMNS:
            out += [line, f'    path: "{rpc_path}"', "  )"]
        else:
            out += [f"  public static let {member} = RPCMethod<",
                    f"    {request}, {response}", f'  >(path: "{rpc_path}")']
    out += ["", "  /// Every method's path, in the order the service declares them.",
            "  public static let allPaths: [String] = ["]
    out += [f"    Self.{member}.path," for member in members]
    out += ["  ]", "}"]
    return out


def emit_file(file, table):
    comments = Comments(file)
    top_level = [t for t in table.types_in_file(file.name) if t.parent is None]
    messages = [t for t in table.types_in_file(file.name) if t.kind == "message"]
    blocks = [[
        f"// Generated by scripts/generate from {file.name}. {HEADER_MARK}",
        "// swift-format-ignore-file",
    ], ["import CNodeSelectorProto"]]
    for proto_type in top_level:
        if proto_type.kind == "enum":
            blocks.append(emit_enum(proto_type, comments, 0))
        else:
            blocks.append(emit_message(proto_type, table, comments, 0))
    for index, service in enumerate(file.service):
        blocks.append(emit_service(service, index, file, table, comments))
    if messages:
        blocks.append(["// MARK: - Copies to and from the protoc-c structs"])
    blocks += [emit_bridge(t, table) for t in messages]

    lines = [line for block in blocks for line in block + [""]][:-1]
    for number, line in enumerate(lines, 1):
        if len(line) > MAX_COLUMNS:
            fail(f"{file.name}: generated line {number} is over {MAX_COLUMNS} columns:\n{line}")
    return "\n".join(lines) + "\n"


# --- main ------------------------------------------------------------------------------------


def read_c_names(table, include_dir):
    """Checks the derived C names against the protoc-c headers and reads struct members.

    Fails when a type or function is missing, so a naming rule that differs from protoc-c's
    stops generation instead of producing Swift that does not compile.
    """
    problems = []
    for proto_type in table.ordered:
        header_path = include_dir / (proto_type.file.name[: -len(".proto")] + ".pb-c.h")
        if not header_path.is_file():
            fail(f"{header_path} is missing; run protoc-c first")
        header = header_path.read_text()
        if proto_type.kind == "enum":
            if f"}} {proto_type.c_type};" not in header:
                problems.append(f"{header_path}: no enum {proto_type.c_type}")
            continue
        # protoc-c writes pack and unpack functions for top-level messages only.
        function = proto_type.c_function + ("__init" if proto_type.parent else "__unpack")
        if f"{function}\n" not in header:
            problems.append(f"{header_path}: no function {function}")
        body = re.search(r"^struct  %s\n\{\n(.*?)^\};" % re.escape(proto_type.c_type),
                         header, re.MULTILINE | re.DOTALL)
        if body is None:
            problems.append(f"{header_path}: no struct {proto_type.c_type}")
            continue
        without_comments = re.sub(r"/\*.*?\*/", "", body.group(1), flags=re.DOTALL)
        proto_type.c_members = set(re.findall(r"(\w+)\s*;", without_comments))
    if problems:
        fail("C names differ from protoc-c's:\n  " + "\n  ".join(problems))


def write_outputs(out_dir, outputs):
    """Writes every file, then removes .pb.swift files that no .proto produces any more."""
    out_dir.mkdir(parents=True, exist_ok=True)
    for name, text in outputs.items():
        path = out_dir / name
        if not path.exists() or path.read_bytes() != text.encode():
            path.write_bytes(text.encode())
    for stale in sorted(out_dir.glob("*.pb.swift")):
        if stale.name not in outputs and HEADER_MARK in stale.read_text():
            stale.unlink()


def main(argv):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--descriptor-set", required=True, type=Path,
                        help="FileDescriptorSet written by protoc --descriptor_set_out")
    parser.add_argument("--out-dir", required=True, type=Path,
                        help="directory for the .pb.swift files")
    parser.add_argument("--c-include-dir", type=Path,
                        help="protoc-c headers to check the derived C names against")
    args = parser.parse_args(argv)

    descriptor_set = descriptor_pb2.FileDescriptorSet()
    descriptor_set.ParseFromString(args.descriptor_set.read_bytes())
    files = list(descriptor_set.file)
    table = TypeTable(files)
    check_no_recursion(table)
    if args.c_include_dir:
        read_c_names(table, args.c_include_dir)

    outputs = {}
    for file in files:
        name = Path(file.name).stem + ".pb.swift"
        if name in outputs:
            fail(f"two .proto files would both write {name}")
        outputs[name] = emit_file(file, table)
    write_outputs(args.out_dir, outputs)


if __name__ == "__main__":
    main(sys.argv[1:])
