import { useState } from 'react';
import { Loading } from '../../components/common';
import { useClinic } from '../../engine/clinic';
import { ProvidersSection, ServicesSection } from './CatalogSections';
import { ClosuresSection, HoursSection, PoliciesSection, ProfileSection, ReceptionistSection, RulesSection } from './ClinicSections';
import { CalendarSection, EngineSettingsSections } from './SystemSections';
import { CallHandlingSection } from './CallHandlingSection';
import { SafetySection } from './SafetySection';
import { IdentitySection } from './IdentitySection';
import { AfterHoursSection } from './AfterHoursSection';
import { LanguagesSection } from './LanguagesSection';
import { IntakeSection } from './IntakeSection';
import { TextsSection } from './TextsSection';
import { PricingSection } from './PricingSection';
import { VoicemailSection } from './VoicemailSection';
import { RecordingSection } from './RecordingSection';
import { AccountsSection } from './AccountsSection';
import { PhoneNumberSection } from './PhoneNumberSection';

const SECTIONS = [
  { id: 'clinic', label: 'Clinic' },
  { id: 'hours', label: 'Hours & closures' },
  { id: 'services', label: 'Services' },
  { id: 'providers', label: 'Providers' },
  { id: 'policies', label: 'Policies & FAQs' },
  { id: 'receptionist', label: 'Receptionist' },
  { id: 'system', label: 'Phone, OpenAI & retention' },
  { id: 'calendar', label: 'Google Calendar' },
  { id: 'accounts', label: 'Accounts' },
] as const;

export type SettingsSectionId = (typeof SECTIONS)[number]['id'];

export function SettingsScreen({ initial = 'clinic' }: { initial?: SettingsSectionId }) {
  const { clinic } = useClinic();
  const [section, setSection] = useState<SettingsSectionId>(initial);
  // Each section keys on the clinic it was opened with, so a save elsewhere never wipes an edit in progress.
  return (
    <section className="screen settings" aria-labelledby="settings-title">
      <header className="screen-header">
        <h1 id="settings-title">Settings</h1>
      </header>
      <div className="settings-layout">
        <nav className="settings-nav" aria-label="Settings sections">
          {SECTIONS.map((s) => (
            <button key={s.id} type="button" aria-current={section === s.id ? 'page' : undefined} onClick={() => setSection(s.id)}>
              {s.label}
            </button>
          ))}
        </nav>
        <div className="settings-content">
          {section === 'accounts' ? (
            <AccountsSection />
          ) : section === 'system' ? (
            <>
              <EngineSettingsSections />
              <PhoneNumberSection />
            </>
          ) : section === 'calendar' ? (
            <CalendarSection />
          ) : !clinic ? (
            <Loading label="Loading the clinic’s settings…" />
          ) : section === 'clinic' ? (
            <ProfileSection clinic={clinic} />
          ) : section === 'hours' ? (
            <>
              <HoursSection clinic={clinic} />
              <RulesSection clinic={clinic} />
              <ClosuresSection clinic={clinic} />
            </>
          ) : section === 'services' ? (
            <ServicesSection clinic={clinic} />
          ) : section === 'providers' ? (
            <ProvidersSection clinic={clinic} />
          ) : section === 'policies' ? (
            <PoliciesSection clinic={clinic} />
          ) : (
            <>
              <ReceptionistSection clinic={clinic} />
              <CallHandlingSection clinic={clinic} />
              <AfterHoursSection clinic={clinic} />
              <LanguagesSection clinic={clinic} />
              <IntakeSection clinic={clinic} />
              <TextsSection clinic={clinic} />
              <VoicemailSection clinic={clinic} />
              <RecordingSection clinic={clinic} />
              <PricingSection clinic={clinic} />
              <SafetySection clinic={clinic} />
              <IdentitySection clinic={clinic} />
            </>
          )}
        </div>
      </div>
    </section>
  );
}
