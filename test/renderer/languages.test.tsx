import { describe, expect, it } from 'vitest';
import { SUPPORTED_LANGUAGES } from '../../voice-engine/src/clinic/knowledge';
import { LANGUAGES } from '../../renderer/src/screens/settings/LanguagesSection';

describe('the Settings list of languages', () => {
  it('is the engine’s list, so the dashboard never offers one the engine refuses', () => {
    expect(LANGUAGES).toEqual([...SUPPORTED_LANGUAGES]);
  });
});
