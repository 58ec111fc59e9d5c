import { AppShell, Burger, Button, Group, NavLink, SegmentedControl, Text, Title } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import {
  IconHistory,
  IconAddressBook,
  IconBuildingStore,
  IconCalendarEvent,
  IconChartBar,
  IconBellRinging,
  IconLayoutDashboard,
  IconLifebuoy,
  IconReceipt,
  IconUserShield,
} from '@tabler/icons-react';
import { Suspense, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, Outlet, useLocation, useNavigate } from 'react-router';
import type { Role } from '../api/types';
import { useMe, useSession } from '../auth/session';
import { setLanguage, type Language } from '../i18n';
import { Loading } from '../components/loading';

interface NavItem {
  to: string;
  label: string;
  icon: ReactNode;
  roles: readonly Role[];
}

/** The frame of every logged-in screen: header with language and logout, navigation by role. */
export function AppLayout() {
  const { t, i18n } = useTranslation();
  const me = useMe();
  const { logout } = useSession();
  const navigate = useNavigate();
  const location = useLocation();
  const [opened, { toggle, close }] = useDisclosure();

  const items: NavItem[] = [
    {
      to: '/my',
      label: t('nav.myPages'),
      icon: <IconBellRinging size={18} />,
      roles: ['engineer', 'manager', 'admin'],
    },
    {
      to: '/board',
      label: t('nav.board'),
      icon: <IconLayoutDashboard size={18} />,
      roles: ['engineer', 'manager', 'admin'],
    },
    {
      to: '/planner',
      label: t('nav.planner'),
      icon: <IconCalendarEvent size={18} />,
      roles: ['engineer', 'manager', 'admin'],
    },
    {
      to: '/customers',
      label: t('nav.customers'),
      icon: <IconBuildingStore size={18} />,
      roles: ['manager', 'admin'],
    },
    {
      to: '/reports',
      label: t('nav.reports'),
      icon: <IconChartBar size={18} />,
      roles: ['manager', 'admin', 'billing', 'customer'],
    },
    { to: '/billing', label: t('nav.billing'), icon: <IconReceipt size={18} />, roles: ['billing', 'admin'] },
    { to: '/audit', label: t('nav.audit'), icon: <IconHistory size={18} />, roles: ['admin'] },
    {
      to: '/account',
      label: t('nav.account'),
      icon: <IconUserShield size={18} />,
      roles: ['admin', 'manager', 'engineer', 'billing', 'customer'],
    },
    {
      to: '/portal/invoices',
      label: t('nav.invoices'),
      icon: <IconReceipt size={18} />,
      roles: ['customer'],
    },
    { to: '/portal', label: t('nav.portal'), icon: <IconLifebuoy size={18} />, roles: ['customer'] },
    {
      to: '/portal/contacts',
      label: t('nav.contacts'),
      icon: <IconAddressBook size={18} />,
      roles: ['customer'],
    },
  ];

  return (
    <AppShell
      header={{ height: 56 }}
      navbar={{ width: 220, breakpoint: 'sm', collapsed: { mobile: !opened } }}
      padding="md"
    >
      <AppShell.Header>
        <Group h="100%" px="md" justify="space-between" wrap="nowrap">
          <Group gap="xs" wrap="nowrap">
            <Burger opened={opened} onClick={toggle} hiddenFrom="sm" size="sm" aria-label={t('nav.menu')} />
            <Title order={1} size="h4" style={{ whiteSpace: 'nowrap' }}>
              <Link to="/" style={{ color: 'inherit', textDecoration: 'none' }}>
                Ballou
              </Link>
            </Title>
          </Group>
          <Group gap="xs" wrap="nowrap">
            <SegmentedControl
              size="xs"
              aria-label={t('nav.language')}
              value={i18n.language}
              onChange={(v) => setLanguage(v as Language)}
              data={[
                { value: 'sv', label: 'SV' },
                { value: 'en', label: 'EN' },
              ]}
            />
            <Button
              size="xs"
              variant="default"
              onClick={async () => {
                await logout();
                void navigate('/login');
              }}
            >
              {t('nav.logout')}
            </Button>
          </Group>
        </Group>
      </AppShell.Header>
      <AppShell.Navbar p="xs" aria-label={t('nav.main')}>
        <Text size="xs" c="dimmed" px="sm" pb="xs">
          {me.name} · {t(`role.${me.role}`)}
        </Text>
        {items
          .filter((item) => item.roles.includes(me.role))
          .map((item) => (
            <NavLink
              key={item.to}
              component={Link}
              to={item.to}
              label={item.label}
              leftSection={item.icon}
              active={location.pathname === item.to}
              onClick={close}
            />
          ))}
      </AppShell.Navbar>
      <AppShell.Main>
        <Suspense fallback={<Loading />}>
          <Outlet />
        </Suspense>
      </AppShell.Main>
    </AppShell>
  );
}
