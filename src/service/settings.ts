import type { ConfigReader } from './reader';

/**
 * A table of a plugin's settings, from which come both the JSON schema the framework validates
 * serverless.yml with and the reader that checks them and applies their defaults.
 */
export type Settings = Readonly<Record<string, Setting>>;

export type Setting = NumberSetting | StringSetting | StringsSetting | GroupSetting | MapSetting;

export interface NumberSetting {
  type: 'number';
  description: string;
  /** What the reader accepts. */
  range: { min: number; max: number };
  default?: number;
  /** What the framework's schema validation checks besides the type (it warns before the reader fails). */
  schema?: { minimum?: number };
}

export interface StringSetting {
  type: 'string';
  description: string;
}

/** A list of strings (a single string reads as a list of one). */
export interface StringsSetting {
  type: 'strings';
  description: string;
}

/** An object of named settings; the schema refuses other keys. */
export interface GroupSetting {
  type: 'object';
  description: string;
  properties: Settings;
}

/** An object whose keys the user chooses, each holding the same settings. */
export interface MapSetting {
  type: 'map';
  description: string;
  values: Settings;
}

type ValueOf<S extends Setting> = S extends NumberSetting
  ? S extends { default: number }
    ? number
    : number | undefined
  : S extends StringSetting
    ? string | undefined
    : S extends StringsSetting
      ? string[]
      : S extends GroupSetting
        ? Values<S['properties']>
        : S extends MapSetting
          ? Map<string, Values<S['values']>>
          : never;

/** The settings as read: a number with a default is always there, the rest may be absent. */
export type Values<T extends Settings> = { [K in keyof T]: ValueOf<T[K]> };

/** The JSON schema of an object holding the settings. */
export function settingsSchema(settings: Settings): object {
  return {
    type: 'object',
    properties: Object.fromEntries(Object.entries(settings).map(([key, s]) => [key, schemaOf(s)])),
    additionalProperties: false,
  };
}

function schemaOf(setting: Setting): object {
  const { description } = setting;
  switch (setting.type) {
    case 'number':
      return { type: 'number', description, ...setting.schema };
    case 'string':
      return { type: 'string', description };
    case 'strings':
      return { anyOf: [{ type: 'string' }, { type: 'array', items: { type: 'string' } }], description };
    case 'object':
      return { ...settingsSchema(setting.properties), description };
    case 'map':
      return { type: 'object', description, additionalProperties: settingsSchema(setting.values) };
  }
}

/** Reads the settings in table order (the first that is wrong is the error), defaults applied. */
export function readSettings<T extends Settings>(reader: ConfigReader, settings: T): Values<T> {
  return Object.fromEntries(
    Object.entries(settings).map(([key, setting]) => [key, readSetting(reader, key, setting)]),
  ) as Values<T>;
}

function readSetting(reader: ConfigReader, key: string, setting: Setting): unknown {
  switch (setting.type) {
    case 'number':
      return reader.number(key, setting.range) ?? setting.default;
    case 'string':
      return reader.string(key);
    case 'strings':
      return reader.strings(key);
    case 'object':
      return readSettings(reader.child(key), setting.properties);
    case 'map': {
      const map = reader.child(key);
      const keys = map.isObject ? Object.keys(map.value as object) : [];
      return new Map(keys.map((name) => [name, readSettings(map.child(name), setting.values)]));
    }
  }
}
