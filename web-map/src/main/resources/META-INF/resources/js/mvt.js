// A Mapbox Vector Tile 2.1 reader: the protocol-buffer wire format and the geometry commands of the
// specification, enough for the map to draw caregrid's own tiles (no third-party decoder is needed).

const VARINT = 0;
const FIXED64 = 1;
const BYTES = 2;
const FIXED32 = 5;

class Reader {
  constructor(bytes, start = 0, end = bytes.length) {
    this.bytes = bytes;
    this.pos = start;
    this.end = end;
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }

  more() {
    return this.pos < this.end;
  }

  // feature ids and values stay below 2^53: arithmetic instead of 32-bit shifts keeps them exact
  varint() {
    let value = 0;
    let scale = 1;
    for (;;) {
      const b = this.bytes[this.pos++];
      value += (b & 0x7f) * scale;
      if (b < 0x80) return value;
      scale *= 128;
    }
  }

  /** The next field's number and wire type. */
  tag() {
    const key = this.varint();
    return { field: Math.floor(key / 8), wire: key & 7 };
  }

  /** A length-delimited field as a reader of its own bytes. */
  message() {
    const length = this.varint();
    const inner = new Reader(this.bytes, this.pos, this.pos + length);
    this.pos += length;
    return inner;
  }

  string() {
    const inner = this.message();
    return new TextDecoder().decode(this.bytes.subarray(inner.pos, inner.end));
  }

  packed() {
    const inner = this.message();
    const values = [];
    while (inner.more()) values.push(inner.varint());
    return values;
  }

  skip(wire) {
    if (wire === VARINT) this.varint();
    else if (wire === FIXED64) this.pos += 8;
    else if (wire === BYTES) this.pos += this.varint();
    else if (wire === FIXED32) this.pos += 4;
    else throw new Error(`MVT: unknown wire type ${wire}`);
  }
}

const zigzag = (n) => (n % 2 === 0 ? n / 2 : -(n + 1) / 2);

function readValue(reader) {
  let value = null;
  while (reader.more()) {
    const { field, wire } = reader.tag();
    if (field === 1) value = reader.string();
    else if (field === 2) { value = reader.view.getFloat32(reader.pos, true); reader.pos += 4; }
    else if (field === 3) { value = reader.view.getFloat64(reader.pos, true); reader.pos += 8; }
    else if (field === 4 || field === 5) value = reader.varint();
    else if (field === 6) value = zigzag(reader.varint());
    else if (field === 7) value = reader.varint() !== 0;
    else reader.skip(wire);
  }
  return value;
}

/** A feature's geometry as lists of [x, y] in tile units: one list per point group, line or ring. */
function decodeGeometry(commands) {
  const parts = [];
  let current = null;
  let x = 0;
  let y = 0;
  let i = 0;
  while (i < commands.length) {
    const command = commands[i] & 7;
    const count = Math.floor(commands[i] / 8);
    i++;
    if (command === 7) { // ClosePath
      if (current && current.length) current.push(current[0]);
      continue;
    }
    for (let n = 0; n < count; n++) {
      x += zigzag(commands[i++]);
      y += zigzag(commands[i++]);
      if (command === 1) { // MoveTo starts a part
        current = [];
        parts.push(current);
      }
      current.push([x, y]);
    }
  }
  return parts;
}

const GEOMETRY_TYPES = { 1: 'Point', 2: 'LineString', 3: 'Polygon' };

function readFeature(reader, keys, values) {
  const feature = { id: null, type: null, properties: {}, geometry: [] };
  while (reader.more()) {
    const { field, wire } = reader.tag();
    if (field === 1) feature.id = reader.varint();
    else if (field === 2) {
      const tags = reader.packed();
      for (let t = 0; t + 1 < tags.length; t += 2) feature.properties[keys[tags[t]]] = values[tags[t + 1]];
    } else if (field === 3) feature.type = GEOMETRY_TYPES[reader.varint()] || null;
    else if (field === 4) feature.geometry = decodeGeometry(reader.packed());
    else reader.skip(wire);
  }
  return feature;
}

function readLayer(reader) {
  const layer = { name: null, extent: 4096, features: [] };
  const keys = [];
  const values = [];
  const rawFeatures = [];
  while (reader.more()) {
    const { field, wire } = reader.tag();
    if (field === 1) layer.name = reader.string();
    else if (field === 2) rawFeatures.push(reader.message());
    else if (field === 3) keys.push(reader.string());
    else if (field === 4) values.push(readValue(reader.message()));
    else if (field === 5) layer.extent = reader.varint();
    else reader.skip(wire);
  }
  // keys and values may follow the features in the message: read the features last
  layer.features = rawFeatures.map((f) => readFeature(f, keys, values));
  return layer;
}

/** The layers of a tile, by name: `{ name, extent, features: [{ id, type, properties, geometry }] }`. */
export function readTile(buffer) {
  const reader = new Reader(new Uint8Array(buffer));
  const layers = {};
  while (reader.more()) {
    const { field, wire } = reader.tag();
    if (field === 3) {
      const layer = readLayer(reader.message());
      layers[layer.name] = layer;
    } else {
      reader.skip(wire);
    }
  }
  return layers;
}
