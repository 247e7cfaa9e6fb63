/** Signing in as oneself: ID-porten, the municipality's login, invitations, passwords, accounts over time. */
export const nb = {
  'nav.account': 'Min konto',

  'signin.intro': 'Velg hvordan du vil logge inn.',
  'signin.idporten': 'ID-porten',
  'signin.municipal': 'kommunens innlogging',
  'signin.idporten.heading': 'Med ID-porten',
  'signin.idporten.body':
    'For alle: foresatte, ungdom og ansatte. Du logger inn med BankID, Buypass eller MinID, som hos banken eller Altinn.',
  'signin.idporten.button': 'Logg inn med ID-porten',
  'signin.municipal.heading': 'For ansatte i kommunen',
  'signin.municipal.body': 'Bruk den samme innloggingen som på jobb.',
  'signin.municipal.button': 'Logg inn med kommunens innlogging',
  'signin.municipal.buttonNamed': 'Logg inn med {name}',
  'signin.password.heading': 'Med e-post og passord',
  'signin.forgot': 'Glemt passordet?',
  'signin.demo.localIdp':
    'Ingen innloggingstjeneste er satt opp, så ID-porten og kommunens innlogging er en lokal testinnlogging. Der velger du en av demopersonene eller skriver et syntetisk fødselsnummer.',

  'signin.failed.unreachable.title': '{provider} svarer ikke akkurat nå',
  'signin.failed.unreachable.body':
    'Vi får ikke kontakt med {provider}. Det er ikke noe galt med deg eller kontoen din. Prøv igjen om litt.',
  'signin.failed.state.title': 'Innloggingen kunne ikke fullføres',
  'signin.failed.state.body':
    'Innloggingen ble ikke startet i dette vinduet, eller den er allerede fullført. Du er ikke logget inn. Start innloggingen på nytt.',
  'signin.failed.expired.title': 'Innloggingen tok for lang tid',
  'signin.failed.expired.body':
    'Innloggingen må fullføres innen 10 minutter. Du er ikke logget inn. Start på nytt.',
  'signin.failed.cancelled.title': 'Du avbrøt innloggingen',
  'signin.failed.cancelled.body': 'Du er ikke logget inn.',
  'signin.failed.code.title': 'Innloggingen var allerede brukt',
  'signin.failed.code.body':
    'Svaret fra {provider} var allerede brukt eller utløpt. Du er ikke logget inn. Start innloggingen på nytt.',
  'signin.failed.issuer.title': 'Svaret fra {provider} kunne ikke godkjennes',
  'signin.failed.issuer.body':
    'Svaret kom ikke fra den innloggingstjenesten Stafett bruker. Du er ikke logget inn. Prøv igjen, og si fra til kommunen hvis det skjer igjen.',
  'signin.failed.audience.title': 'Svaret fra {provider} kunne ikke godkjennes',
  'signin.failed.audience.body':
    'Svaret var laget for en annen tjeneste enn Stafett. Du er ikke logget inn. Prøv igjen, og si fra til kommunen hvis det skjer igjen.',
  'signin.failed.signature.title': 'Svaret fra {provider} kunne ikke godkjennes',
  'signin.failed.signature.body':
    'Svaret var ikke riktig signert. Du er ikke logget inn. Prøv igjen, og si fra til kommunen hvis det skjer igjen.',
  'signin.failed.nonce.title': 'Svaret fra {provider} kunne ikke godkjennes',
  'signin.failed.nonce.body':
    'Svaret hørte til en annen innlogging enn din. Du er ikke logget inn. Start innloggingen på nytt.',
  'signin.failed.token_expired.title': 'Svaret fra {provider} var for gammelt',
  'signin.failed.token_expired.body': 'Du er ikke logget inn. Start innloggingen på nytt.',
  'signin.failed.level.title': 'Du må logge inn med høyere sikkerhetsnivå',
  'signin.failed.level.body':
    'Stafett inneholder opplysninger om barn og krever innlogging på høyt sikkerhetsnivå, for eksempel BankID. Du er ikke logget inn.',
  'signin.failed.no_identity.title': 'Vi fikk ikke vite hvem du er',
  'signin.failed.no_identity.body':
    'Svaret fra {provider} sa ikke hvem du er. Du er ikke logget inn. Prøv igjen, og si fra til kommunen hvis det skjer igjen.',
  'signin.failed.no_match.title': 'Du har ikke tilgang ennå',
  'signin.failed.no_match.body': 'Du har ikke tilgang ennå — spør stafettholderen eller lederen din.',
  'signin.failed.invitation.title': 'Invitasjonen kan ikke brukes',
  'signin.failed.invitation.body':
    'Invitasjonen er brukt, erstattet av en nyere eller utløpt. Be den som inviterte deg om å sende en ny.',
  'signin.failed.invitation_other.title': 'Invitasjonen gjelder en annen person',
  'signin.failed.invitation_other.body':
    'Du logget inn som en annen person enn den invitasjonen ble sendt til. Du er ikke logget inn. Be den som inviterte deg om å sjekke opplysningene.',
  'signin.failed.invalid_response.title': 'Svaret fra {provider} kunne ikke godkjennes',
  'signin.failed.invalid_response.body':
    'Du er ikke logget inn. Prøv igjen, og si fra til kommunen hvis det skjer igjen.',
  'signin.failed.retry': 'Prøv å logge inn med {provider} igjen',
  'signin.failed.toLogin': 'Til innloggingssiden',

  'signin.choose.title': 'Velg hvordan du vil bruke Stafett',
  'signin.choose.body': 'Du har flere roller i Stafett. Velg den du vil logge inn som nå.',
  'signin.choose.legend': 'Logg inn som',
  'signin.choose.staff': 'ansatt',
  'signin.choose.youth': 'ungdom med egen tilgang',
  'signin.choose.submit': 'Fortsett',
  'signin.choose.error': 'Velg hvordan du vil logge inn',

  'signin.logout.title': 'Du er logget ut av Stafett',
  'signin.logout.body': 'Logg også ut av {provider}, så ingen andre kan logge inn som deg på denne maskinen.',
  'signin.logout.button': 'Logg ut av {provider}',

  'signin.method.password': 'E-post og passord',
  'signin.method.idporten': 'ID-porten',
  'signin.method.municipal': 'Kommunens innlogging',
  'signin.level.high': 'Høyt',
  'signin.level.substantial': 'Betydelig',

  'invitation.title': 'Ta i bruk kontoen din',
  'invitation.welcome':
    'Velkommen til Stafett, {name}. Velg hvordan du vil logge inn. Invitasjonen kan brukes én gang.',
  'invitation.idporten': 'Logg inn med ID-porten, så kjenner Stafett deg igjen neste gang du logger inn der.',
  'invitation.municipal': 'Logg inn med den samme innloggingen som på jobb.',
  'invitation.password.heading': 'Eller velg et passord',
  'invitation.password.submit': 'Lagre passordet og logg inn',

  'password.new': 'Nytt passord',
  'password.repeat': 'Skriv passordet en gang til',
  'password.hint':
    'Minst {min} tegn. Gjerne flere ord etter hverandre, som er lett å huske og vanskelig å gjette.',
  'password.err.required': 'Skriv et passord',
  'password.err.short': 'Passordet må ha minst {min} tegn',
  'password.err.long': 'Passordet kan ha høyst {max} tegn',
  'password.err.email': 'Passordet kan ikke være e-postadressen din',
  'password.err.repeat': 'Passordene er ikke like. Skriv det samme passordet to ganger',
  'password.err.emailFormat': 'Skriv en gyldig e-postadresse, for eksempel navn@eksempel.no',

  'link.unknown.title': 'Lenken virker ikke',
  'link.used.title': 'Lenken er allerede brukt',
  'link.expired.title': 'Lenken er utløpt',
  'link.invitation.body':
    'En invitasjon kan brukes én gang, og bare en stund. Be lederen din eller stafettholderen om å sende en ny.',
  'link.reset.body': 'En lenke for nytt passord kan brukes én gang, og bare en kort stund.',
  'link.reset.again': 'Be om en ny lenke',

  'forgot.title': 'Glemt passordet',
  'forgot.body':
    'Skriv e-postadressen din. Har du en konto med passord i Stafett, får du en lenke for å lage et nytt.',
  'forgot.submit': 'Send lenke',
  'forgot.sent': 'Hvis adressen hører til en konto i Stafett, har vi sendt en lenke til den.',
  'forgot.sent.more':
    'Lenken kan brukes én gang og virker en kort stund. Ser du ikke e-posten om noen minutter, sjekk søppelpost.',

  'reset.title': 'Lag et nytt passord',
  'reset.submit': 'Lagre passordet og logg inn',

  'account.title': 'Min konto',
  'account.name': 'Navn',
  'account.nationalId': 'Fødselsnummer',
  'account.ways': 'Du kan logge inn med',
  'account.language': 'Språk i e-post fra Stafett',
  'account.language.nb': 'Norsk (bokmål)',
  'account.language.en': 'Engelsk',
  'account.language.hint': 'Språket du velger øverst på siden, brukes også i e-post til deg.',
  'account.signIns': 'Dine siste innlogginger',
  'account.signIns.none': 'Ingen innlogginger er registrert ennå.',
  'account.signIns.when': 'Tidspunkt',
  'account.signIns.method': 'Innlogget med',
  'account.signIns.level': 'Sikkerhetsnivå',

  'person.nationalId.synthetic': 'Dette er et testnummer, ikke et ekte fødselsnummer',

  'staff.nationalId': 'Fødselsnummer',
  'staff.nationalId.hint':
    'Brukes når personen logger inn med ID-porten. Må være helt riktig. Etterpå vises bare fødselsdatoen.',
  'staff.nationalId.none': 'Ikke registrert',
  'staff.err.nationalIdOther':
    'Personen er registrert med et annet fødselsnummer. Sjekk at det er skrevet riktig',
  'staff.err.nationalIdRequired':
    'Skriv fødselsnummeret til personen. Det trengs for å logge inn med ID-porten',
  'staff.status': 'Konto',
  'staff.status.active': 'I bruk',
  'staff.status.invited': 'Invitert {date}, ikke tatt i bruk ennå',
  'staff.status.expired': 'Invitasjonen er utløpt',
  'staff.status.notInvited': 'Ikke tatt i bruk ennå',
  'staff.status.deactivated': 'Deaktivert',
  'staff.resend': 'Send invitasjonen på nytt',
  'staff.deactivate.link': 'Deaktiver kontoen til {name}',
  'staff.deactivate.title': 'Deaktivere kontoen til {name}?',
  'staff.deactivate.body':
    '{name} kan ikke logge inn mer, og innlogginger som er i gang, avsluttes med en gang. Logger som {name} holder, må du overføre til en ny stafettholder.',
  'staff.deactivate.submit': 'Ja, deaktiver kontoen',
  'staff.deactivate.cancel': 'Avbryt',
  'staff.deactivated.notice': '{name} er deaktivert og kan ikke logge inn.',
  'staff.deactivated.logs': 'Logger {name} holder i {unit}',
  'staff.deactivated.logs.hint':
    'Avtal en ny stafettholder med familien, og overfør hver logg på vegne av {name}.',
  'staff.deactivated.noLogs': '{name} holder ingen logger i {unit}.',
  'staff.deactivated.transfer': 'Overfør',
  'staff.err.deactivateSelf': 'Du kan ikke deaktivere deg selv',
  'staff.err.deactivateLeader': 'Ledere deaktiveres av kommunens administrator',
  'staff.err.deactivateOtherUnits':
    'Personen er også ansatt i en annen enhet. Fjern personen fra denne enheten i stedet',
  'access.saved.deactivated': 'Kontoen er deaktivert, og innloggingene er avsluttet.',
  'access.saved.invited': 'Invitasjonen er sendt på nytt.',
  'guardians.link': 'Foresatte i loggen',
  'guardians.title': 'Foresatte i loggen',
  'guardians.intro':
    'Foresatte leser hele loggen og kan skrive lysglimt. Den som ikke har tatt i bruk kontoen sin ennå, har fått en invitasjon på e-post.',
  'guardians.name': 'Navn',
  'guardians.email': 'E-postadresse',
  'guardians.nationalId': 'Fødselsnummer',
  'guardians.nationalId.label': 'Fødselsnummer (hvis du vet det)',
  'guardians.status': 'Konto',
  'guardians.none': 'Ingen foresatte er registrert i loggen.',
  'guardians.add': 'Registrer en foresatt',
  'guardians.add.submit': 'Registrer og inviter',
  'guardians.remove.link': 'Fjern',
  'guardians.remove.title': 'Fjerne {name} som foresatt?',
  'guardians.remove.body':
    '{name} mister tilgangen til barnets logger med en gang. Gjør dette bare når {name} ikke lenger er foresatt for barnet.',
  'guardians.remove.submit': 'Ja, fjern som foresatt',
  'guardians.remove.cancel': 'Avbryt',
  'guardians.err.name': 'Skriv navnet til den foresatte',
  'guardians.err.email': 'Skriv e-postadressen til den foresatte',
  'guardians.err.already': 'Personen er allerede foresatt i loggen',
  'access.saved.guardianAdded':
    'Den foresatte er registrert og får en invitasjon hvis kontoen ikke er i bruk.',
  'access.saved.guardianRemoved': 'Den foresatte er fjernet og har ikke tilgang lenger.',
  'create.guardianNationalId': 'Fødselsnummeret til foresatt {n}',
  'create.guardianNationalId.hint':
    'Hvis du vet det. Da kan den foresatte logge inn med ID-porten. Ellers får den foresatte bare en invitasjon på e-post.',
  'err.guardianNationalId.same': 'De to foresatte kan ikke ha samme fødselsnummer',
  'err.guardianNationalId.other':
    'Den foresatte med denne e-postadressen er registrert med et annet fødselsnummer. Sjekk at det er skrevet riktig',

  'mail.hello': 'Hei, {name}!',
  'mail.invitation.subject': 'Invitasjon til Stafett',
  'mail.invitation.body':
    'Du er lagt til i Stafett, der familien og tjenestene rundt et barn har én felles plan.',
  'mail.invitation.link': 'Ta i bruk kontoen din her:',
  'mail.invitation.idporten': 'Du kan logge inn med ID-porten (BankID, Buypass eller MinID).',
  'mail.invitation.password': 'Du kan også velge et passord.',
  'mail.invitation.expires': 'Lenken kan brukes én gang og virker til og med {date}.',
  'mail.invitation.notYou': 'Har du ikke ventet denne e-posten, kan du se bort fra den.',
  'mail.reset.subject': 'Nytt passord i Stafett',
  'mail.reset.body': 'Noen har bedt om et nytt passord til kontoen din i Stafett. Lag et nytt passord her:',
  'mail.reset.expires': 'Lenken kan brukes én gang og virker i {minutes} minutter.',
  'mail.reset.notYou':
    'Har du ikke bedt om dette, kan du se bort fra e-posten. Passordet ditt er ikke endret.',
} as const;

export const en: Partial<Record<keyof typeof nb, string>> = {
  'nav.account': 'My account',

  'signin.intro': 'Choose how to sign in.',
  'signin.idporten': 'ID-porten',
  'signin.municipal': "the municipality's login",
  'signin.idporten.heading': 'With ID-porten',
  'signin.idporten.body':
    'For everyone: guardians, young people and staff. You sign in with BankID, Buypass or MinID, as at your bank or Altinn.',
  'signin.idporten.button': 'Sign in with ID-porten',
  'signin.municipal.heading': 'For municipal staff',
  'signin.municipal.body': 'Use the same login as at work.',
  'signin.municipal.button': "Sign in with the municipality's login",
  'signin.municipal.buttonNamed': 'Sign in with {name}',
  'signin.password.heading': 'With e-mail and password',
  'signin.forgot': 'Forgot your password?',
  'signin.demo.localIdp':
    "No sign-in service is set up, so ID-porten and the municipality's login are a local test login. There you pick one of the demo people or type a synthetic identity number.",

  'signin.failed.unreachable.title': '{provider} is not answering right now',
  'signin.failed.unreachable.body':
    'We cannot reach {provider}. Nothing is wrong with you or your account. Try again in a little while.',
  'signin.failed.state.title': 'The sign-in could not be completed',
  'signin.failed.state.body':
    'The sign-in was not started in this window, or it has already been completed. You are not signed in. Start again.',
  'signin.failed.expired.title': 'The sign-in took too long',
  'signin.failed.expired.body':
    'A sign-in must be completed within 10 minutes. You are not signed in. Start again.',
  'signin.failed.cancelled.title': 'You cancelled the sign-in',
  'signin.failed.cancelled.body': 'You are not signed in.',
  'signin.failed.code.title': 'The sign-in was already used',
  'signin.failed.code.body':
    'The answer from {provider} was already used or had expired. You are not signed in. Start again.',
  'signin.failed.issuer.title': 'The answer from {provider} could not be accepted',
  'signin.failed.issuer.body':
    'The answer did not come from the sign-in service Stafett uses. You are not signed in. Try again, and tell the municipality if it happens again.',
  'signin.failed.audience.title': 'The answer from {provider} could not be accepted',
  'signin.failed.audience.body':
    'The answer was made for another service than Stafett. You are not signed in. Try again, and tell the municipality if it happens again.',
  'signin.failed.signature.title': 'The answer from {provider} could not be accepted',
  'signin.failed.signature.body':
    'The answer was not correctly signed. You are not signed in. Try again, and tell the municipality if it happens again.',
  'signin.failed.nonce.title': 'The answer from {provider} could not be accepted',
  'signin.failed.nonce.body':
    'The answer belonged to another sign-in than yours. You are not signed in. Start again.',
  'signin.failed.token_expired.title': 'The answer from {provider} was too old',
  'signin.failed.token_expired.body': 'You are not signed in. Start again.',
  'signin.failed.level.title': 'You must sign in at a higher level of assurance',
  'signin.failed.level.body':
    'Stafett holds information about children and requires signing in at a high level, for example with BankID. You are not signed in.',
  'signin.failed.no_identity.title': 'We could not tell who you are',
  'signin.failed.no_identity.body':
    'The answer from {provider} did not say who you are. You are not signed in. Try again, and tell the municipality if it happens again.',
  'signin.failed.no_match.title': 'You do not have access yet',
  'signin.failed.no_match.body': 'You do not have access yet — ask the holder of the log or your leader.',
  'signin.failed.invitation.title': 'The invitation cannot be used',
  'signin.failed.invitation.body':
    'The invitation has been used, replaced by a newer one or has expired. Ask the person who invited you to send a new one.',
  'signin.failed.invitation_other.title': 'The invitation is for someone else',
  'signin.failed.invitation_other.body':
    'You signed in as another person than the one the invitation was sent to. You are not signed in. Ask the person who invited you to check the details.',
  'signin.failed.invalid_response.title': 'The answer from {provider} could not be accepted',
  'signin.failed.invalid_response.body':
    'You are not signed in. Try again, and tell the municipality if it happens again.',
  'signin.failed.retry': 'Try signing in with {provider} again',
  'signin.failed.toLogin': 'To the sign-in page',

  'signin.choose.title': 'Choose how to use Stafett',
  'signin.choose.body': 'You have several roles in Stafett. Choose the one to sign in as now.',
  'signin.choose.legend': 'Sign in as',
  'signin.choose.staff': 'staff',
  'signin.choose.youth': 'young person with own access',
  'signin.choose.submit': 'Continue',
  'signin.choose.error': 'Choose how to sign in',

  'signin.logout.title': 'You are signed out of Stafett',
  'signin.logout.body': 'Also sign out of {provider}, so nobody else can sign in as you on this computer.',
  'signin.logout.button': 'Sign out of {provider}',

  'signin.method.password': 'E-mail and password',
  'signin.method.idporten': 'ID-porten',
  'signin.method.municipal': "The municipality's login",
  'signin.level.high': 'High',
  'signin.level.substantial': 'Substantial',

  'invitation.title': 'Start using your account',
  'invitation.welcome': 'Welcome to Stafett, {name}. Choose how to sign in. The invitation can be used once.',
  'invitation.idporten': 'Sign in with ID-porten, and Stafett will know you the next time you sign in there.',
  'invitation.municipal': 'Sign in with the same login as at work.',
  'invitation.password.heading': 'Or choose a password',
  'invitation.password.submit': 'Save the password and sign in',

  'password.new': 'New password',
  'password.repeat': 'Type the password again',
  'password.hint':
    'At least {min} characters. Several words in a row are easy to remember and hard to guess.',
  'password.err.required': 'Type a password',
  'password.err.short': 'The password must have at least {min} characters',
  'password.err.long': 'The password can have at most {max} characters',
  'password.err.email': 'The password cannot be your e-mail address',
  'password.err.repeat': 'The passwords are not the same. Type the same password twice',
  'password.err.emailFormat': 'Enter a valid e-mail address, like name@example.com',

  'link.unknown.title': 'The link does not work',
  'link.used.title': 'The link has already been used',
  'link.expired.title': 'The link has expired',
  'link.invitation.body':
    'An invitation can be used once, and only for a while. Ask your leader or the holder of the log to send a new one.',
  'link.reset.body': 'A link for a new password can be used once, and only for a short while.',
  'link.reset.again': 'Ask for a new link',

  'forgot.title': 'Forgot your password',
  'forgot.body':
    'Enter your e-mail address. If you have an account with a password in Stafett, you get a link to make a new one.',
  'forgot.submit': 'Send link',
  'forgot.sent': 'If the address belongs to an account in Stafett, we have sent a link to it.',
  'forgot.sent.more':
    'The link can be used once and works for a short while. If you do not see the e-mail in a few minutes, check your spam folder.',

  'reset.title': 'Make a new password',
  'reset.submit': 'Save the password and sign in',

  'account.title': 'My account',
  'account.name': 'Name',
  'account.nationalId': 'Identity number',
  'account.ways': 'You can sign in with',
  'account.language': 'Language of e-mails from Stafett',
  'account.language.nb': 'Norwegian (bokmål)',
  'account.language.en': 'English',
  'account.language.hint': 'The language you choose at the top of the page is also used in e-mails to you.',
  'account.signIns': 'Your last sign-ins',
  'account.signIns.none': 'No sign-ins are recorded yet.',
  'account.signIns.when': 'Time',
  'account.signIns.method': 'Signed in with',
  'account.signIns.level': 'Level of assurance',

  'person.nationalId.synthetic': 'This is a test number, not a real identity number',

  'staff.nationalId': 'Identity number',
  'staff.nationalId.hint':
    'Used when the person signs in with ID-porten. It must be exactly right. Afterwards only the birth date is shown.',
  'staff.nationalId.none': 'Not registered',
  'staff.err.nationalIdOther':
    'The person is registered with another identity number. Check that it is typed right',
  'staff.err.nationalIdRequired':
    "Enter the person's identity number. It is needed to sign in with ID-porten",
  'staff.status': 'Account',
  'staff.status.active': 'In use',
  'staff.status.invited': 'Invited {date}, not in use yet',
  'staff.status.expired': 'The invitation has expired',
  'staff.status.notInvited': 'Not in use yet',
  'staff.status.deactivated': 'Deactivated',
  'staff.resend': 'Send the invitation again',
  'staff.deactivate.link': "Deactivate {name}'s account",
  'staff.deactivate.title': "Deactivate {name}'s account?",
  'staff.deactivate.body':
    '{name} can no longer sign in, and sign-ins in progress end at once. Logs {name} holds must be transferred to a new holder.',
  'staff.deactivate.submit': 'Yes, deactivate the account',
  'staff.deactivate.cancel': 'Cancel',
  'staff.deactivated.notice': '{name} is deactivated and cannot sign in.',
  'staff.deactivated.logs': 'Logs {name} holds in {unit}',
  'staff.deactivated.logs.hint':
    'Agree on a new holder with the family, and transfer each log on behalf of {name}.',
  'staff.deactivated.noLogs': '{name} holds no logs in {unit}.',
  'staff.deactivated.transfer': 'Transfer',
  'staff.err.deactivateSelf': 'You cannot deactivate yourself',
  'staff.err.deactivateLeader': "Leaders are deactivated by the municipality's administrator",
  'staff.err.deactivateOtherUnits':
    'The person is also staff of another unit. Remove the person from this unit instead',
  'access.saved.deactivated': 'The account is deactivated, and its sign-ins have ended.',
  'access.saved.invited': 'The invitation has been sent again.',
  'guardians.link': 'Guardians in the log',
  'guardians.title': 'Guardians in the log',
  'guardians.intro':
    'Guardians read the whole log and can write glimmers. Anyone who has not started using their account yet has had an invitation by e-mail.',
  'guardians.name': 'Name',
  'guardians.email': 'E-mail address',
  'guardians.nationalId': 'Identity number',
  'guardians.nationalId.label': 'Identity number (if you know it)',
  'guardians.status': 'Account',
  'guardians.none': 'No guardians are registered in the log.',
  'guardians.add': 'Register a guardian',
  'guardians.add.submit': 'Register and invite',
  'guardians.remove.link': 'Remove',
  'guardians.remove.title': 'Remove {name} as guardian?',
  'guardians.remove.body':
    "{name} loses access to the child's logs at once. Do this only when {name} is no longer the child's guardian.",
  'guardians.remove.submit': 'Yes, remove as guardian',
  'guardians.remove.cancel': 'Cancel',
  'guardians.err.name': "Enter the guardian's name",
  'guardians.err.email': "Enter the guardian's e-mail address",
  'guardians.err.already': 'The person is already a guardian in the log',
  'access.saved.guardianAdded':
    'The guardian is registered and gets an invitation if the account is not in use.',
  'access.saved.guardianRemoved': 'The guardian is removed and no longer has access.',
  'create.guardianNationalId': 'Identity number of guardian {n}',
  'create.guardianNationalId.hint':
    'If you know it. The guardian can then sign in with ID-porten. Otherwise the guardian only gets an invitation by e-mail.',
  'err.guardianNationalId.same': 'The two guardians cannot have the same identity number',
  'err.guardianNationalId.other':
    'The guardian with this e-mail address is registered with another identity number. Check that it is typed right',

  'mail.hello': 'Hello, {name}!',
  'mail.invitation.subject': 'Invitation to Stafett',
  'mail.invitation.body':
    'You have been added to Stafett, where the family and the services around a child keep one shared plan.',
  'mail.invitation.link': 'Start using your account here:',
  'mail.invitation.idporten': 'You can sign in with ID-porten (BankID, Buypass or MinID).',
  'mail.invitation.password': 'You can also choose a password.',
  'mail.invitation.expires': 'The link can be used once and works until {date}.',
  'mail.invitation.notYou': 'If you did not expect this e-mail, you can ignore it.',
  'mail.reset.subject': 'New password in Stafett',
  'mail.reset.body':
    'Someone asked for a new password for your account in Stafett. Make a new password here:',
  'mail.reset.expires': 'The link can be used once and works for {minutes} minutes.',
  'mail.reset.notYou':
    'If you did not ask for this, you can ignore the e-mail. Your password has not changed.',
};
