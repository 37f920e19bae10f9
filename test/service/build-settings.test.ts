import { strict as assert } from 'node:assert';
import type { RawService } from '../../src/host';
import { readBuildSettings } from '../../src/service/build-settings';

const settings = (raw: Partial<RawService>) =>
  readBuildSettings({ service: 'svc', provider: { name: 'aws' }, ...raw });

describe('build plugin settings', () => {
  it('takes the esbuild options that shape the code from custom.esbuild, and names what it cannot apply', () => {
    const build = settings({
      plugins: ['serverless-esbuild', 'serverless-emulate'],
      custom: {
        esbuild: {
          define: { VERSION: '"1"' },
          alias: { '@config': './src/config.ts' },
          loader: { '.txt': 'text' },
          external: ['pg-native'],
          tsconfig: 'tsconfig.build.json',
          format: 'esm',
          // Packaging only.
          minify: true,
          packager: 'pnpm',
          exclude: ['aws-sdk'],
          // JavaScript the plugin loads, and an option it passes to esbuild that is not applied here.
          plugins: './plugins.js',
          config: './esbuild.config.js',
          splitting: true,
        },
      },
    });
    assert.deepEqual(build, {
      plugin: 'serverless-esbuild',
      esbuild: {
        define: { VERSION: '"1"' },
        alias: { '@config': './src/config.ts' },
        loader: { '.txt': 'text' },
        external: ['pg-native'],
        tsconfig: 'tsconfig.build.json',
        format: 'esm',
      },
      unhonoured: ['custom.esbuild.plugins', 'custom.esbuild.config', 'custom.esbuild.splitting'],
    });
  });

  it('finds the plugin in the `{modules}` form of plugins too', () => {
    const build = settings({
      plugins: { modules: ['serverless-esbuild'] },
      custom: { esbuild: { keepNames: true } },
    });
    assert.deepEqual(build.esbuild, { keepNames: true });
  });

  it('refuses a malformed option, naming it', () => {
    assert.throws(
      () => settings({ plugins: ['serverless-esbuild'], custom: { esbuild: { define: { VERSION: 1 } } } }),
      /custom\.esbuild\.define must be an object of strings, got \{"VERSION":1\}/,
    );
    assert.throws(
      () => settings({ plugins: ['serverless-esbuild'], custom: { esbuild: { external: 'pg' } } }),
      /custom\.esbuild\.external must be a list of strings/,
    );
  });

  it("applies serverless-plugin-typescript's tsconfig and names serverless-webpack's configuration", () => {
    assert.deepEqual(
      settings({
        plugins: ['serverless-plugin-typescript'],
        custom: { serverlessPluginTypescript: { tsConfigFileLocation: './tsconfig.build.json' } },
      }),
      {
        plugin: 'serverless-plugin-typescript',
        esbuild: { tsconfig: './tsconfig.build.json' },
        unhonoured: [],
      },
    );
    assert.deepEqual(settings({ plugins: ['serverless-webpack'], custom: { webpack: {} } }), {
      plugin: 'serverless-webpack',
      esbuild: {},
      unhonoured: ['custom.webpack'],
    });
  });

  it('ignores custom.esbuild when serverless-esbuild is not a plugin of the service', () => {
    assert.deepEqual(settings({ custom: { esbuild: { define: { A: '1' } } } }), {
      esbuild: {},
      unhonoured: [],
    });
  });
});
