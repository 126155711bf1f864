"""Schema migration 0001: the 21 tables of the IAPT data set v2.1.

Spelled out here, never generated from the live column list, so that later
changes to resources cannot silently change an existing database; a test
checks that these tables and columns match resources/dataset/columns.csv.

Types: dates are TEXT 'YYYY-MM-DD', times TEXT 'HH:MM:SS', date-times TEXT
'YYYY-MM-DD HH:MM:SS', whole numbers INTEGER; CHECK constraints refuse values
that are not real dates, times or whole numbers.  Tables without a key of
their own carry an app-only ``app_row_id``.
"""

DATASET_TABLES_SQL = """
CREATE TABLE IDS000Header (
    app_row_id INTEGER PRIMARY KEY,
    DatSetVer TEXT,
    OrgIDProv TEXT,
    OrgIDSubmit TEXT,
    PrimSystemInUse TEXT,
    ReportingPeriodStartDate TEXT CHECK (date(ReportingPeriodStartDate) IS ReportingPeriodStartDate),
    ReportingPeriodEndDate TEXT CHECK (date(ReportingPeriodEndDate) IS ReportingPeriodEndDate),
    DateTimeDatSetCreate TEXT CHECK (datetime(DateTimeDatSetCreate) IS DateTimeDatSetCreate)
);

CREATE TABLE IDS001MPI (
    LocalPatientId TEXT PRIMARY KEY NOT NULL,
    OrgIDLocalPatientId TEXT,
    NHSNumber TEXT,
    NHSNumberStatus TEXT,
    PersonBirthDate TEXT CHECK (date(PersonBirthDate) IS PersonBirthDate),
    Postcode TEXT,
    Gender TEXT,
    GenderIdentity TEXT,
    GenderIdentitySameAtBirth TEXT,
    EthnicCategory TEXT,
    EthnicCategory2021 TEXT,
    ExBAFIndicator TEXT,
    LanguageCodePreferred TEXT,
    EduEstabTypeIAPT TEXT
);

CREATE TABLE IDS002GP (
    app_row_id INTEGER PRIMARY KEY,
    LocalPatientId TEXT NOT NULL,
    GMPCodeReg TEXT,
    StartDateGMPRegistration TEXT CHECK (date(StartDateGMPRegistration) IS StartDateGMPRegistration),
    EndDateGMPRegistration TEXT CHECK (date(EndDateGMPRegistration) IS EndDateGMPRegistration),
    FOREIGN KEY (LocalPatientId) REFERENCES IDS001MPI (LocalPatientId) ON DELETE CASCADE ON UPDATE CASCADE
);

CREATE TABLE IDS003AccommStatus (
    app_row_id INTEGER PRIMARY KEY,
    LocalPatientId TEXT NOT NULL,
    AccommodationType TEXT,
    SettledAccommodationInd TEXT,
    AccommodationTypeDate TEXT CHECK (date(AccommodationTypeDate) IS AccommodationTypeDate),
    AccommodationTypeStartDate TEXT CHECK (date(AccommodationTypeStartDate) IS AccommodationTypeStartDate),
    AccommodationTypeEndDate TEXT CHECK (date(AccommodationTypeEndDate) IS AccommodationTypeEndDate),
    FOREIGN KEY (LocalPatientId) REFERENCES IDS001MPI (LocalPatientId) ON DELETE CASCADE ON UPDATE CASCADE
);

CREATE TABLE IDS004EmpStatus (
    app_row_id INTEGER PRIMARY KEY,
    LocalPatientId TEXT NOT NULL,
    EmployStatus TEXT,
    EmployStatusRecDate TEXT CHECK (date(EmployStatusRecDate) IS EmployStatusRecDate),
    WeekHoursWorked TEXT,
    SelfEmployInd TEXT,
    SickAbsenceInd TEXT,
    SSPInd TEXT,
    BenefitRecInd TEXT,
    ESAInd TEXT,
    UCInd TEXT,
    PIPInd TEXT,
    EmpSupportInd TEXT,
    EmpSupportReferral TEXT CHECK (date(EmpSupportReferral) IS EmpSupportReferral),
    EmpSupportDischargeDate TEXT CHECK (date(EmpSupportDischargeDate) IS EmpSupportDischargeDate),
    FOREIGN KEY (LocalPatientId) REFERENCES IDS001MPI (LocalPatientId) ON DELETE CASCADE ON UPDATE CASCADE
);

CREATE TABLE IDS007DisabilityType (
    app_row_id INTEGER PRIMARY KEY,
    LocalPatientId TEXT NOT NULL,
    DisabCode TEXT,
    FOREIGN KEY (LocalPatientId) REFERENCES IDS001MPI (LocalPatientId) ON DELETE CASCADE ON UPDATE CASCADE
);

CREATE TABLE IDS011SocPerCircumstances (
    app_row_id INTEGER PRIMARY KEY,
    LocalPatientId TEXT NOT NULL,
    SocPerCircumstance TEXT,
    SocPerCircumstanceRecDate TEXT CHECK (date(SocPerCircumstanceRecDate) IS SocPerCircumstanceRecDate),
    FOREIGN KEY (LocalPatientId) REFERENCES IDS001MPI (LocalPatientId) ON DELETE CASCADE ON UPDATE CASCADE
);

CREATE TABLE IDS012OverseasVisitorChargCat (
    app_row_id INTEGER PRIMARY KEY,
    LocalPatientId TEXT NOT NULL,
    OvsVisChCat TEXT,
    OvsVisChCatAppDate TEXT CHECK (date(OvsVisChCatAppDate) IS OvsVisChCatAppDate),
    FOREIGN KEY (LocalPatientId) REFERENCES IDS001MPI (LocalPatientId) ON DELETE CASCADE ON UPDATE CASCADE
);

CREATE TABLE IDS101Referral (
    ServiceRequestId TEXT PRIMARY KEY NOT NULL,
    LocalPatientId TEXT NOT NULL,
    OrgIDComm TEXT,
    ReferralRequestReceivedDate TEXT CHECK (date(ReferralRequestReceivedDate) IS ReferralRequestReceivedDate),
    SourceOfReferralIAPT TEXT,
    OnsetDate TEXT,
    PrevDiagCondInd TEXT,
    EndCode TEXT,
    ServDischDate TEXT CHECK (date(ServDischDate) IS ServDischDate),
    FOREIGN KEY (LocalPatientId) REFERENCES IDS001MPI (LocalPatientId) ON DELETE CASCADE ON UPDATE CASCADE
);

CREATE TABLE IDS105OnwardReferral (
    app_row_id INTEGER PRIMARY KEY,
    ServiceRequestId TEXT NOT NULL,
    OnwardReferDate TEXT CHECK (date(OnwardReferDate) IS OnwardReferDate),
    OnwardReferTime TEXT CHECK (time(OnwardReferTime) IS OnwardReferTime),
    OnwardReferReason TEXT,
    OrgIDReceiving TEXT,
    FOREIGN KEY (ServiceRequestId) REFERENCES IDS101Referral (ServiceRequestId) ON DELETE CASCADE ON UPDATE CASCADE
);

CREATE TABLE IDS108WaitingTimePauses (
    app_row_id INTEGER PRIMARY KEY,
    PauseID TEXT NOT NULL,
    ServiceRequestId TEXT NOT NULL,
    PauseStartDate TEXT CHECK (date(PauseStartDate) IS PauseStartDate),
    PauseEndDate TEXT CHECK (date(PauseEndDate) IS PauseEndDate),
    PauseReason TEXT,
    UNIQUE (ServiceRequestId, PauseID),
    FOREIGN KEY (ServiceRequestId) REFERENCES IDS101Referral (ServiceRequestId) ON DELETE CASCADE ON UPDATE CASCADE
);

CREATE TABLE IDS201CareContact (
    CareContactId TEXT PRIMARY KEY NOT NULL,
    ServiceRequestId TEXT NOT NULL,
    CareContDate TEXT CHECK (date(CareContDate) IS CareContDate),
    CareContTime TEXT CHECK (time(CareContTime) IS CareContTime),
    OrgIDComm TEXT,
    PlannedCareContIndicator TEXT,
    AttendOrDNACode TEXT,
    Cancellation TEXT,
    ClinContDurOfCareCont INTEGER CHECK (typeof(ClinContDurOfCareCont) IN ('integer', 'null')),
    IAPTLTCServiceInd TEXT,
    AppType TEXT,
    ConsMechanism TEXT,
    IntEnabledTherProg TEXT,
    CareContPatientTherMode TEXT,
    NumGroupTherParticipants INTEGER CHECK (typeof(NumGroupTherParticipants) IN ('integer', 'null')),
    NumGroupTherFacilitators INTEGER CHECK (typeof(NumGroupTherFacilitators) IN ('integer', 'null')),
    PsychMed TEXT,
    ActLocTypeCode TEXT,
    SiteIDOfTreat TEXT,
    LanguageCodeTreat TEXT,
    InterpreterPresentInd TEXT,
    FOREIGN KEY (ServiceRequestId) REFERENCES IDS101Referral (ServiceRequestId) ON DELETE CASCADE ON UPDATE CASCADE
);

CREATE TABLE IDS202CareActivity (
    CareActId TEXT PRIMARY KEY NOT NULL,
    CareContactId TEXT NOT NULL,
    CarePersLocalId TEXT,
    ClinContactDurOfCareAct INTEGER CHECK (typeof(ClinContactDurOfCareAct) IN ('integer', 'null')),
    CodeProcAndProcStatus TEXT,
    FindSchemeInUse TEXT,
    CodeFind TEXT,
    CodeObs TEXT,
    ObsValue TEXT,
    UnitMeasure TEXT,
    FOREIGN KEY (CareContactId) REFERENCES IDS201CareContact (CareContactId) ON DELETE CASCADE ON UPDATE CASCADE
);

CREATE TABLE IDS205InternetTherLog (
    app_row_id INTEGER PRIMARY KEY,
    ServiceRequestId TEXT NOT NULL,
    StartDateIntEnabledTherLog TEXT CHECK (date(StartDateIntEnabledTherLog) IS StartDateIntEnabledTherLog),
    EndDateIntEnabledTherLog TEXT CHECK (date(EndDateIntEnabledTherLog) IS EndDateIntEnabledTherLog),
    IntEnabledTherProg TEXT,
    DurationIntEnabledTher INTEGER CHECK (typeof(DurationIntEnabledTher) IN ('integer', 'null')),
    CarePersLocalId TEXT,
    IntegratedSoftwareInd TEXT,
    FOREIGN KEY (ServiceRequestId) REFERENCES IDS101Referral (ServiceRequestId) ON DELETE CASCADE ON UPDATE CASCADE
);

CREATE TABLE IDS601MedHistPrevDiag (
    app_row_id INTEGER PRIMARY KEY,
    LocalPatientId TEXT NOT NULL,
    DiagSchemeInUse TEXT,
    PrevDiag TEXT,
    DiagDate TEXT CHECK (date(DiagDate) IS DiagDate),
    FOREIGN KEY (LocalPatientId) REFERENCES IDS001MPI (LocalPatientId) ON DELETE CASCADE ON UPDATE CASCADE
);

CREATE TABLE IDS602LongTermCondition (
    app_row_id INTEGER PRIMARY KEY,
    ServiceRequestId TEXT NOT NULL,
    FindSchemeInUse TEXT,
    LongTermCondition TEXT,
    FOREIGN KEY (ServiceRequestId) REFERENCES IDS101Referral (ServiceRequestId) ON DELETE CASCADE ON UPDATE CASCADE
);

CREATE TABLE IDS603PresentingComplaints (
    app_row_id INTEGER PRIMARY KEY,
    ServiceRequestId TEXT NOT NULL,
    FindSchemeInUse TEXT,
    PresComp TEXT,
    PresCompCodSig TEXT,
    PresCompDate TEXT CHECK (date(PresCompDate) IS PresCompDate),
    FOREIGN KEY (ServiceRequestId) REFERENCES IDS101Referral (ServiceRequestId) ON DELETE CASCADE ON UPDATE CASCADE
);

CREATE TABLE IDS606CodedScoreAssessmentRefer (
    app_row_id INTEGER PRIMARY KEY,
    ServiceRequestId TEXT NOT NULL,
    CodedAssToolType TEXT,
    PersScore TEXT,
    AssToolCompDate TEXT CHECK (date(AssToolCompDate) IS AssToolCompDate),
    AssToolCompTime TEXT CHECK (time(AssToolCompTime) IS AssToolCompTime),
    FOREIGN KEY (ServiceRequestId) REFERENCES IDS101Referral (ServiceRequestId) ON DELETE CASCADE ON UPDATE CASCADE
);

CREATE TABLE IDS607CodedScoreAssessmentAct (
    app_row_id INTEGER PRIMARY KEY,
    CareActId TEXT NOT NULL,
    CodedAssToolType TEXT,
    PersScore TEXT,
    FOREIGN KEY (CareActId) REFERENCES IDS202CareActivity (CareActId) ON DELETE CASCADE ON UPDATE CASCADE
);

CREATE TABLE IDS803CareCluster (
    app_row_id INTEGER PRIMARY KEY,
    LocalPatientId TEXT NOT NULL,
    AMHCareClustCodeFin TEXT,
    StartDateCareClust TEXT CHECK (date(StartDateCareClust) IS StartDateCareClust),
    StartTimeCareClust TEXT CHECK (time(StartTimeCareClust) IS StartTimeCareClust),
    EndDateCareClust TEXT CHECK (date(EndDateCareClust) IS EndDateCareClust),
    EndTimeCareClust TEXT CHECK (time(EndTimeCareClust) IS EndTimeCareClust),
    FOREIGN KEY (LocalPatientId) REFERENCES IDS001MPI (LocalPatientId) ON DELETE CASCADE ON UPDATE CASCADE
);

CREATE TABLE IDS902CarePersQual (
    app_row_id INTEGER PRIMARY KEY,
    CarePersLocalId TEXT NOT NULL,
    QualAttainLevelIAPT TEXT NOT NULL,
    QualAwardedDate TEXT CHECK (date(QualAwardedDate) IS QualAwardedDate),
    QualPlannedCompletionDate TEXT CHECK (date(QualPlannedCompletionDate) IS QualPlannedCompletionDate),
    UNIQUE (CarePersLocalId, QualAttainLevelIAPT)
);

CREATE INDEX idx_IDS002GP_LocalPatientId ON IDS002GP (LocalPatientId);
CREATE INDEX idx_IDS003AccommStatus_LocalPatientId ON IDS003AccommStatus (LocalPatientId);
CREATE INDEX idx_IDS004EmpStatus_LocalPatientId ON IDS004EmpStatus (LocalPatientId);
CREATE INDEX idx_IDS007DisabilityType_LocalPatientId ON IDS007DisabilityType (LocalPatientId);
CREATE INDEX idx_IDS011SocPerCircumstances_LocalPatientId ON IDS011SocPerCircumstances (LocalPatientId);
CREATE INDEX idx_IDS012OverseasVisitorChargCat_LocalPatientId ON IDS012OverseasVisitorChargCat (LocalPatientId);
CREATE INDEX idx_IDS101Referral_LocalPatientId ON IDS101Referral (LocalPatientId);
CREATE INDEX idx_IDS105OnwardReferral_ServiceRequestId ON IDS105OnwardReferral (ServiceRequestId);
CREATE INDEX idx_IDS108WaitingTimePauses_ServiceRequestId ON IDS108WaitingTimePauses (ServiceRequestId);
CREATE INDEX idx_IDS201CareContact_ServiceRequestId ON IDS201CareContact (ServiceRequestId);
CREATE INDEX idx_IDS202CareActivity_CareContactId ON IDS202CareActivity (CareContactId);
CREATE INDEX idx_IDS205InternetTherLog_ServiceRequestId ON IDS205InternetTherLog (ServiceRequestId);
CREATE INDEX idx_IDS601MedHistPrevDiag_LocalPatientId ON IDS601MedHistPrevDiag (LocalPatientId);
CREATE INDEX idx_IDS602LongTermCondition_ServiceRequestId ON IDS602LongTermCondition (ServiceRequestId);
CREATE INDEX idx_IDS603PresentingComplaints_ServiceRequestId ON IDS603PresentingComplaints (ServiceRequestId);
CREATE INDEX idx_IDS606CodedScoreAssessmentRefer_ServiceRequestId ON IDS606CodedScoreAssessmentRefer (ServiceRequestId);
CREATE INDEX idx_IDS607CodedScoreAssessmentAct_CareActId ON IDS607CodedScoreAssessmentAct (CareActId);
CREATE INDEX idx_IDS803CareCluster_LocalPatientId ON IDS803CareCluster (LocalPatientId);
CREATE INDEX idx_IDS001MPI_NHSNumber ON IDS001MPI (NHSNumber);
CREATE INDEX idx_IDS101Referral_ReferralRequestReceivedDate ON IDS101Referral (ReferralRequestReceivedDate);
CREATE INDEX idx_IDS101Referral_ServDischDate ON IDS101Referral (ServDischDate);
CREATE INDEX idx_IDS201CareContact_CareContDate ON IDS201CareContact (CareContDate);
CREATE INDEX idx_IDS202CareActivity_CarePersLocalId ON IDS202CareActivity (CarePersLocalId);
"""
